package io.jitguard.functions;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.atMost;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.OutputBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.mockito.ArgumentCaptor;
import org.mockito.quality.Strictness;

/**
 * Mockito mocks of the Functions SDK's interfaces, as the Java worker hands them to a function (as the Azure Functions
 * Java archetype's tests do): an {@link ExecutionContext} with an invocation id and a real JDK logger we read, an
 * {@link HttpRequestMessage} whose response builder's arguments are captured into the answer, an
 * {@link OutputBinding} whose value is captured. Everything else in these tests is real (the emulator, Azurite).
 */
final class FunctionMocks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionMocks() {
    }

    /** An invocation's context: a fresh invocation id, the function's name, a logger whose records are kept. */
    static ExecutionContext context(String functionName) {
        ExecutionContext context = mock(ExecutionContext.class, lenient());
        Logger logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Recorder());
        when(context.getLogger()).thenReturn(logger);
        when(context.getInvocationId()).thenReturn(UUID.randomUUID().toString());
        when(context.getFunctionName()).thenReturn(functionName);
        return context;
    }

    /** Every line the function logged, in order. */
    static List<String> lines(ExecutionContext context) {
        return records(context).stream().map(LogRecord::getMessage).toList();
    }

    static List<Level> levels(ExecutionContext context) {
        return records(context).stream().map(LogRecord::getLevel).toList();
    }

    /** The decision lines, parsed. */
    static List<JsonNode> decisions(ExecutionContext context) {
        return lines(context).stream().filter(m -> m.startsWith(DecisionLog.PREFIX)).map(m -> {
            try {
                return JSON.readTree(m.substring(DecisionLog.PREFIX.length()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    static JsonNode onlyDecision(ExecutionContext context) {
        List<JsonNode> all = decisions(context);
        if (all.size() != 1) {
            throw new AssertionError("expected one decision line, got " + lines(context));
        }
        return all.get(0);
    }

    private static List<LogRecord> records(ExecutionContext context) {
        return Arrays.stream(context.getLogger().getHandlers()).filter(h -> h instanceof Recorder)
                .map(h -> ((Recorder) h).records).findFirst().orElseThrow();
    }

    /** {@code POST https://jitguard.test/api/<route>} with a JSON body and these extra headers. */
    static HttpRequestMessage<Optional<String>> post(String route, String body, Map<String, String> headers) {
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        return request(HttpMethod.POST, route, body, all, Map.of());
    }

    static HttpRequestMessage<Optional<String>> post(String route, String body) {
        return post(route, body, Map.of());
    }

    /** {@code GET https://jitguard.test/api/<route>?<query>}. */
    static HttpRequestMessage<Optional<String>> get(String route, Map<String, String> query) {
        return get(route, query, Map.of());
    }

    /** {@code GET https://jitguard.test/api/<route>?<query>} with these headers. */
    static HttpRequestMessage<Optional<String>> get(String route, Map<String, String> query,
                                                     Map<String, String> headers) {
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        return request(HttpMethod.GET, route, null, all, query);
    }

    /**
     * A request whose {@code createResponseBuilder(status)} hands out a builder mock; {@code build()} answers with a
     * response made of what the function passed the builder (captured: status, headers, body).
     */
    @SuppressWarnings("unchecked")
    private static HttpRequestMessage<Optional<String>> request(HttpMethod method, String route, String body,
                                                                Map<String, String> headers,
                                                                Map<String, String> query) {
        HttpRequestMessage<Optional<String>> request = mock(HttpRequestMessage.class, lenient());
        when(request.getHttpMethod()).thenReturn(method);
        when(request.getUri()).thenReturn(URI.create("https://jitguard.test/api/" + route));
        when(request.getHeaders()).thenReturn(headers);
        when(request.getQueryParameters()).thenReturn(new LinkedHashMap<>(query));
        when(request.getBody()).thenReturn(Optional.ofNullable(body));
        when(request.createResponseBuilder(any(HttpStatus.class))).thenAnswer(call -> {
            HttpResponseMessage.Builder builder = mock(HttpResponseMessage.Builder.class,
                    withSettings().strictness(Strictness.LENIENT).defaultAnswer(org.mockito.Mockito.RETURNS_SELF));
            when(builder.build()).thenAnswer(b -> answer(call.getArgument(0), builder));
            return builder;
        });
        return request;
    }

    private static HttpResponseMessage answer(HttpStatus status, HttpResponseMessage.Builder builder) {
        ArgumentCaptor<String> names = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<String> values = ArgumentCaptor.forClass(String.class);
        verify(builder, atLeast(0)).header(names.capture(), values.capture());
        ArgumentCaptor<Object> body = ArgumentCaptor.forClass(Object.class);
        verify(builder, atMost(1)).body(body.capture());
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < names.getAllValues().size(); i++) {
            headers.put(names.getAllValues().get(i), values.getAllValues().get(i));
        }
        HttpResponseMessage response = mock(HttpResponseMessage.class, lenient());
        when(response.getStatus()).thenReturn(status);
        when(response.getStatusCode()).thenReturn(status.value());
        when(response.getHeader(anyString())).thenAnswer(h -> headers.get(h.<String>getArgument(0)));
        when(response.getBody()).thenReturn(body.getAllValues().isEmpty() ? null : body.getValue());
        return response;
    }

    /** An output binding; read what the function set with {@link #sent}. */
    @SuppressWarnings("unchecked")
    static <T> OutputBinding<T> binding() {
        return mock(OutputBinding.class, lenient());
    }

    /** The value the function set on the binding (the host writes it after the function returns); null if none. */
    @SuppressWarnings("unchecked")
    static <T> T sent(OutputBinding<T> binding) {
        ArgumentCaptor<T> value = (ArgumentCaptor<T>) (ArgumentCaptor<?>) ArgumentCaptor.forClass(Object.class);
        // atLeast(0), not atMost(1): Mockito's atMost skips calls an earlier verify already saw
        verify(binding, atLeast(0)).setValue(value.capture());
        if (value.getAllValues().size() > 1) {
            throw new AssertionError("the binding was set " + value.getAllValues().size() + " times");
        }
        return value.getAllValues().isEmpty() ? null : value.getValue();
    }

    private static org.mockito.MockSettings lenient() {
        return withSettings().strictness(Strictness.LENIENT);
    }

    /** Keeps every record the function logged. */
    private static final class Recorder extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
