package io.jitguard.output;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Text written as UTF-8 bytes to a stream as it is produced: a report in one format, streamed to its file, or taken
 * whole as a string ({@link #text}) for an HTTP answer, stdout or a test.
 */
@FunctionalInterface
public interface StreamedText {
    void writeTo(OutputStream out) throws IOException;

    /** What {@code writer} writes, as a string. */
    static String text(StreamedText writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
