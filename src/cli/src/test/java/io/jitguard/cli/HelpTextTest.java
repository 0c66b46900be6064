package io.jitguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * picocli formats every description line as a format string: a bare {@code %} makes it warn on stderr and print the
 * raw text into the help. Every command's help renders without a warning.
 */
class HelpTextTest {
    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() {
        List<String> commands = new ArrayList<>();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            render(new CommandLine(new Main()), commands);
        } finally {
            System.setErr(err);
        }
        assertThat(commands).contains("jitguard", "emulator", "bench", "sweep", "demo");
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("WARN").doesNotContain("Could not format");
    }

    private static void render(CommandLine cli, List<String> commands) {
        assertThat(cli.getUsageMessage()).as(cli.getCommandName()).doesNotContain("%n");
        commands.add(cli.getCommandName());
        cli.getSubcommands().values().forEach(sub -> render(sub, commands));
    }
}
