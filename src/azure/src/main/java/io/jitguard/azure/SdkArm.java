package io.jitguard.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.jitguard.arm.Arm;
import io.jitguard.arm.ArmCalls;
import io.jitguard.arm.ArmException;
import io.jitguard.arm.ArmOperation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * The {@link Arm} port over azure-core's HTTP pipeline: bearer token ({@code <endpoint>/.default}), azure-core's
 * {@link RetryPolicy} honouring {@code Retry-After} in seconds (as azure-resourcemanager's pipeline does), user agent
 * {@code jitguard/<version>}, a client-side ARM budget per subscription ({@link ArmBudgetPolicy}: waits before ARM
 * would throttle, pauses a subscription on 429), HTTP logging off unless asked for (and then BASIC only: no headers, no bodies).
 *
 * <p>Counting: {@link #calls()} counts each logical request (each page of a list is one read); retries are counted
 * separately in {@link #retries()}. Failures become {@link ArmException} with ARM's {@code error.code} and
 * {@code error.message}; no response (connection failure, timeout, sign-in or certificate failure — the last two not
 * retried, {@link #permanentCause}) is status 0. Messages carry the method and path,
 * never headers, so never the token.
 */
public final class SdkArm implements Arm {
    public static final String VERSION = "0.1.0";
    public static final String USER_AGENT = "jitguard/" + VERSION;
    /** Defensive bound on list pages (ARM pages hold up to 1,000 items). */
    static final int MAX_PAGES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The JDK HTTP client's executor, shared by every client of the process: a few threads complete the responses
     * (the calling threads wait for them), where the client's default starts threads as responses arrive.
     */
    static final java.util.concurrent.ExecutorService HTTP_EXECUTOR = httpExecutor();

    private static java.util.concurrent.ExecutorService httpExecutor() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "jitguard-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    private final String base;
    private final URI endpoint;
    private final HttpPipeline pipeline;
    private final ArmOptions options;
    private final io.jitguard.arm.CallCounter counter = new io.jitguard.arm.CallCounter();
    private final AtomicLong attempts = new AtomicLong();

    private SdkArm(URI endpoint, HttpPipeline pipeline, ArmOptions options) {
        this.endpoint = endpoint;
        String s = endpoint.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.pipeline = pipeline;
        this.options = options;
    }

    /**
     * @param endpoint    ARM's endpoint, an absolute https URL, e.g. {@code https://management.azure.com/}
     * @param credential  token source; the token scope is {@code endpoint + ".default"}
     * @param options     retries and timeout
     */
    public static SdkArm create(URI endpoint, TokenCredential credential, ArmOptions options) {
        return create(endpoint, credential, options, null);
    }

    /** As above; {@code tls} (when not null) decides which certificates are trusted ({@link ArmTrust}). */
    public static SdkArm create(URI endpoint, TokenCredential credential, ArmOptions options,
            javax.net.ssl.SSLContext tls) {
        return create(endpoint, credential, options, tls, ArmBudget.system());
    }

    /**
     * As above, spending {@code budget}: ARM's buckets are the principal's, so every client that signs in as the same
     * principal should share one, or a 429 one of them is given does not slow the others.
     */
    public static SdkArm create(URI endpoint, TokenCredential credential, ArmOptions options,
            javax.net.ssl.SSLContext tls, ArmBudget budget) {
        URI normalized = normalize(endpoint);
        SdkArm[] self = new SdkArm[1];
        HttpPipelinePolicy attemptCounter = new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                self[0].attempts.incrementAndGet();
                return next.process();
            }

            @Override
            public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                self[0].attempts.incrementAndGet();
                return next.processSync();
            }

            @Override
            public HttpPipelinePosition getPipelinePosition() {
                return HttpPipelinePosition.PER_RETRY;
            }
        };
        JdkHttpClientBuilder clientBuilder = tls == null ? new JdkHttpClientBuilder()
                : new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls));
        HttpClient transport = clientBuilder
                .executor(HTTP_EXECUTOR)
                .connectionTimeout(min(Duration.ofSeconds(10), options.callTimeout()))
                .responseTimeout(options.callTimeout())
                .readTimeout(options.callTimeout())
                .writeTimeout(options.callTimeout())
                .build();
        HttpClient client = new HttpClient() {
            @Override
            public Mono<HttpResponse> send(HttpRequest request) {
                return transport.send(request).onErrorMap(
                        e -> ArmException.UNTRUSTED_CERTIFICATE.equals(permanentCause(e).orElse(null)),
                        UntrustedCertificate::new);
            }

            @Override
            public HttpResponse sendSync(HttpRequest request, Context context) {
                try {
                    return transport.sendSync(request, context);
                } catch (RuntimeException e) {
                    if (ArmException.UNTRUSTED_CERTIFICATE.equals(permanentCause(e).orElse(null))) {
                        throw new java.io.UncheckedIOException(new UntrustedCertificate(e));
                    }
                    throw e;
                }
            }
        };
        HttpLogOptions logOptions = new HttpLogOptions()
                .setLogLevel(options.httpLogging() ? HttpLogDetailLevel.BASIC : HttpLogDetailLevel.NONE);
        String tokenScope = normalized + ".default";
        TokenCredential signIn = request -> credential.getToken(request)
                .onErrorMap(com.azure.core.exception.ClientAuthenticationException.class, SignInFailure::new);
        HttpPipeline pipeline = new HttpPipelineBuilder()
                .httpClient(client)
                .policies(
                        new UserAgentPolicy(USER_AGENT),
                        new RequestIdPolicy(),
                        new RetryPolicy(new NoLongWaits(new ExponentialBackoff(options.maxRetries(),
                                options.retryDelay(), options.maxRetryDelay()), options.callTimeout()),
                                "Retry-After", ChronoUnit.SECONDS),
                        new ArmBudgetPolicy(budget),
                        attemptCounter,
                        new CallDeadline(System::nanoTime),
                        new BearerTokenAuthenticationPolicy(signIn, tokenScope),
                        new HttpLoggingPolicy(logOptions))
                .build();
        SdkArm arm = new SdkArm(normalized, pipeline, options);
        self[0] = arm;
        return arm;
    }

    /** Over a pipeline built elsewhere (e.g. {@code HttpPipelineProvider.buildHttpPipeline}); retries are not counted. */
    public static SdkArm over(URI endpoint, HttpPipeline pipeline, ArmOptions options) {
        return new SdkArm(normalize(endpoint), pipeline, options);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The pipeline every call goes through (credential, retries, ARM budget, HTTP client), for SDK clients beside it. */
    HttpPipeline pipeline() {
        return pipeline;
    }

    public ArmOptions options() {
        return options;
    }

    @Override
    public JsonNode get(ArmOperation operation, String path) {
        requireMethod(operation, "GET");
        counter.read();
        return send(HttpMethod.GET, url(operation, path), null, path);
    }

    @Override
    public List<JsonNode> list(ArmOperation operation, String path) {
        return list(operation, path, java.util.function.Function.identity());
    }

    /**
     * Each page is read as a stream: every item of its {@code value} array is handed to {@code each} as soon as it
     * is parsed, so what is kept is what {@code each} returns, never a whole page's tree.
     */
    @Override
    public <T> List<T> list(ArmOperation operation, String path, java.util.function.Function<JsonNode, T> each) {
        requireMethod(operation, "GET");
        List<T> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String url = url(operation, path);
        for (int page = 0; url != null; page++) {
            if (page >= MAX_PAGES || !seen.add(url)) {
                throw new ArmException(0, "InvalidNextLink", "GET " + path + ": paging does not end");
            }
            counter.read();
            String next = readPage(exchange(HttpMethod.GET, url, null, path), path, items, each);
            url = next != null && !next.isEmpty() ? checkedNextLink(next, path) : null;
        }
        return items;
    }

    /** Adds the page's items (mapped) to {@code items}; returns its {@code nextLink} (null when none). */
    private static <T> String readPage(byte[] content, String path, List<T> items,
                                       java.util.function.Function<JsonNode, T> each) {
        String next = null;
        boolean sawValue = false;
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.getFactory().createParser(content)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new ArmException(0, "InvalidResponse", "GET " + path + ": list response is not an object");
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                com.fasterxml.jackson.core.JsonToken token = parser.nextToken();
                if (field.equals("value") && token == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    sawValue = true;
                    while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        JsonNode item = JSON.readTree(parser);
                        items.add(each.apply(item));
                    }
                } else if (field.equals("nextLink") && token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    next = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (java.io.IOException e) {
            throw new ArmException(0, "InvalidResponse", "GET " + path + ": response is not JSON");
        }
        if (!sawValue) {
            throw new ArmException(0, "InvalidResponse", "GET " + path + ": list response without a value array");
        }
        return next;
    }

    @Override
    public JsonNode put(ArmOperation operation, String path, JsonNode body) {
        requireMethod(operation, "PUT");
        counter.write();
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot serialize the body for " + path, e);
        }
        return send(HttpMethod.PUT, url(operation, path), bytes, path);
    }

    @Override
    public List<JsonNode> postPages(ArmOperation operation, String path) {
        requireMethod(operation, "POST");
        List<JsonNode> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = null;
        for (int page = 0; ; page++) {
            if (page >= MAX_PAGES) {
                throw new ArmException(0, "InvalidSkipToken", "POST " + path + ": paging does not end");
            }
            com.fasterxml.jackson.databind.node.ObjectNode request = JSON.createObjectNode();
            if (token != null) {
                request.put("skipToken", token);
            }
            // a read by what it does (dry runs stay write-free); ArmBudgetPolicy still spends the write bucket, as ARM does
            counter.read();
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(request);
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot serialize the body for " + path, e);
            }
            JsonNode body = send(HttpMethod.POST, url(operation, path), bytes, path);
            JsonNode value = body.path("value");
            if (!value.isArray()) {
                throw new ArmException(0, "InvalidResponse", "POST " + path + ": list response without a value array");
            }
            value.forEach(items::add);
            JsonNode next = body.path("skipToken");
            if (!next.isTextual() || next.asText().isEmpty()) {
                return items;
            }
            token = next.asText();
            if (!seen.add(token)) {
                throw new ArmException(0, "InvalidSkipToken", "POST " + path + ": paging does not end");
            }
        }
    }

    @Override
    public ArmCalls calls() {
        return counter.calls();
    }

    @Override
    public ArmCalls callsOnThisThread() {
        return counter.callsOnThisThread();
    }

    @Override
    public <T> java.util.function.Supplier<T> onBehalfOfThisThread(java.util.function.Supplier<T> work) {
        return counter.onBehalfOfThisThread(work);
    }

    /** Requests re-sent by the retry policy (attempts beyond the first of each logical request). */
    public long retries() {
        ArmCalls sent = counter.calls();
        return Math.max(0, attempts.get() - sent.reads() - sent.writes());
    }

    private JsonNode send(HttpMethod method, String url, byte[] body, String path) {
        byte[] content = exchange(method, url, body, path);
        if (isBlank(content)) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(content);
        } catch (Exception e) {
            throw new ArmException(0, "InvalidResponse", method + " " + path + ": response is not JSON");
        }
    }

    /** A successful answer's body; any other answer is an {@link ArmException}. */
    private byte[] exchange(HttpMethod method, String url, byte[] body, String path) {
        HttpRequest request = new HttpRequest(method, url);
        request.setHeader(HttpHeaderName.ACCEPT, "application/json");
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            request.setBody(body);
        }
        Response response;
        // the synchronous pipeline: the calling thread sends and reads the answer, with no reactive operators or
        // hand-offs per call; CallDeadline bounds the whole call (attempts and the waits between them)
        try (HttpResponse r = pipeline.sendSync(request, CallDeadline.start(options.callTimeout(), System::nanoTime))) {
            com.azure.core.util.BinaryData answer = r.getBodyAsBinaryData();
            byte[] bytes = answer == null ? null : answer.toBytes();
            response = new Response(r.getStatusCode(), bytes == null ? new byte[0] : bytes,
                    r.getHeaderValue(HttpHeaderName.RETRY_AFTER));
        } catch (RuntimeException e) {
            throw notSentByBudget(e).orElseGet(() -> noResponse(method, path, e));
        }
        if (response == null) {
            throw new ArmException(0, "NoResponse", method + " " + path + ": no response");
        }
        if (response.status >= 200 && response.status < 300) {
            return response.content;
        }
        throw error(method, path, response);
    }

    private static boolean isBlank(byte[] content) {
        for (byte b : content) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    static ArmException error(HttpMethod method, String path, Response response) {
        String code = "Http" + response.status;
        String message = null;
        try {
            JsonNode node = isBlank(response.content) ? MissingNode.getInstance() : JSON.readTree(response.content);
            JsonNode error = node.has("error") ? node.path("error") : node;
            if (error.path("code").isTextual()) {
                code = error.path("code").asText();
            }
            if (error.path("message").isTextual()) {
                message = error.path("message").asText();
            }
        } catch (Exception ignored) {
            // not JSON: keep the status only
        }
        String text = method + " " + path + " failed: " + response.status + " " + code
                + (message == null ? "" : ": " + oneLine(message));
        Duration retryAfter = retryAfter(response.retryAfter);
        if (retryAfter != null) {
            text += " (Retry-After: " + retryAfter.toSeconds() + " s)";
        }
        return new ArmException(response.status, code, text, null, retryAfter);
    }

    /** The {@link ArmBudgetPolicy#notSent} failure in {@code thrown}'s causes: the request was never sent. */
    static java.util.Optional<ArmException> notSentByBudget(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ArmException notSent) {
                return java.util.Optional.of(notSent);
            }
        }
        return java.util.Optional.empty();
    }

    private static ArmException noResponse(HttpMethod method, String path, RuntimeException e) {
        Throwable cause = reactor.core.Exceptions.unwrap(e);
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof java.io.UncheckedIOException || cause.getClass() == RuntimeException.class)) {
            cause = cause.getCause();
        }
        boolean timeout = cause instanceof TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout");
        String code = permanentCause(e).orElse(timeout ? "Timeout" : "ConnectionFailed");
        String detail = cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + oneLine(cause.getMessage()));
        // Exceptions from the pipeline never carry request headers; keep the detail short anyway.
        return new ArmException(0, code, method + " " + path + ": " + code + " (" + shorten(detail) + ")", e);
    }

    /**
     * A failure without an answer that no retry mends: the credential could not sign in (azure-identity's
     * {@code CredentialUnavailableException} is a {@code ClientAuthenticationException}), or the endpoint's certificate
     * is not trusted / the TLS handshake failed.
     */
    static java.util.Optional<String> permanentCause(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof com.azure.core.exception.ClientAuthenticationException) {
                return java.util.Optional.of(ArmException.SIGN_IN_FAILED);
            }
            if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return java.util.Optional.of(ArmException.UNTRUSTED_CERTIFICATE);
            }
        }
        return java.util.Optional.empty();
    }

    private String url(ArmOperation operation, String path) {
        if (path == null || !path.startsWith("/") || path.contains("?") || path.contains("#") || path.contains("//")) {
            throw new IllegalArgumentException("not an ARM path: " + path);
        }
        return base + operation.requestPath(path);
    }

    /** nextLink is followed as returned, but only to the same endpoint: the bearer token goes nowhere else. */
    private String checkedNextLink(String next, String path) {
        URI uri;
        try {
            uri = URI.create(next);
        } catch (IllegalArgumentException e) {
            throw new ArmException(0, "InvalidNextLink", "GET " + path + ": nextLink is not a URL");
        }
        if (!uri.isAbsolute() || !"https".equalsIgnoreCase(uri.getScheme())
                || !endpoint.getHost().equalsIgnoreCase(uri.getHost()) || port(endpoint) != port(uri)) {
            throw new ArmException(0, "InvalidNextLink", "GET " + path + ": nextLink leaves the ARM endpoint");
        }
        return next;
    }

    private static int port(URI uri) {
        return uri.getPort() == -1 ? 443 : uri.getPort();
    }

    static URI normalize(URI endpoint) {
        if (endpoint == null || !endpoint.isAbsolute() || !"https".equalsIgnoreCase(endpoint.getScheme())
                || endpoint.getHost() == null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
                || endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("ARM endpoint must be an absolute https URL without query: " + endpoint);
        }
        String s = endpoint.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    private static void requireMethod(ArmOperation operation, String method) {
        if (!operation.method().equals(method)) {
            throw new IllegalArgumentException(operation + " is a " + operation.method() + ", not a " + method);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /**
     * A failed sign-in with its cause chain cut: azure-core's retry policy also asks about each cause, and a cause
     * such as the managed-identity endpoint's connection error would otherwise be retried.
     */
    static final class SignInFailure extends com.azure.core.exception.ClientAuthenticationException {
        private static final long serialVersionUID = 1L;

        SignInFailure(com.azure.core.exception.ClientAuthenticationException e) {
            super(e.getMessage(), null);
        }
    }

    /** A TLS trust failure with its cause chain cut, for the same reason as {@link SignInFailure}. */
    static final class UntrustedCertificate extends javax.net.ssl.SSLHandshakeException {
        private static final long serialVersionUID = 1L;

        UntrustedCertificate(Throwable e) {
            super(deepestMessage(e));
        }

        private static String deepestMessage(Throwable e) {
            String message = e.getMessage();
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof javax.net.ssl.SSLHandshakeException && t.getMessage() != null) {
                    message = t.getMessage();
                }
            }
            return message;
        }
    }

    record Response(int status, byte[] content, String retryAfter) {
        Response(int status, String body) {
            this(status, body.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    /** {@code Retry-After} in seconds (ARM's form); an HTTP date or garbage counts as absent. */
    static Duration retryAfter(String header) {
        if (header == null || !header.trim().matches("\\d{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(header.trim()));
    }

    /**
     * azure-core's back-off, except that an answer whose {@code Retry-After} is longer than the call timeout is not
     * waited for: the call fails at once with ARM's status, code and {@code Retry-After}, instead of sleeping into a
     * {@code Timeout} that hides why.
     */
    static final class NoLongWaits implements com.azure.core.http.policy.RetryStrategy {
        private final com.azure.core.http.policy.RetryStrategy inner;
        private final Duration limit;

        NoLongWaits(com.azure.core.http.policy.RetryStrategy inner, Duration limit) {
            this.inner = inner;
            this.limit = limit;
        }

        @Override
        public int getMaxRetries() {
            return inner.getMaxRetries();
        }

        @Override
        public Duration calculateRetryDelay(int retryAttempts) {
            return inner.calculateRetryDelay(retryAttempts);
        }

        @Override
        public boolean shouldRetry(HttpResponse response) {
            return !tooLong(response) && inner.shouldRetry(response);
        }

        @Override
        public boolean shouldRetryException(Throwable thrown) {
            return permanentCause(thrown).isEmpty() && notSentByBudget(thrown).isEmpty()
                    && inner.shouldRetryException(thrown);
        }

        @Override
        public boolean shouldRetryCondition(com.azure.core.http.policy.RequestRetryCondition condition) {
            if (condition.getResponse() == null && permanentCause(condition.getThrowable()).isPresent()) {
                return false; // sign-in and certificate trust failures: the same request fails the same way
            }
            if (condition.getResponse() == null && notSentByBudget(condition.getThrowable()).isPresent()) {
                return false; // the budget's wait passes the call's deadline: no attempt can be sent in time
            }
            return !tooLong(condition.getResponse()) && inner.shouldRetryCondition(condition);
        }

        private boolean tooLong(HttpResponse response) {
            Duration wait = response == null ? null : retryAfter(response.getHeaderValue(HttpHeaderName.RETRY_AFTER));
            return wait != null && wait.compareTo(limit) >= 0;
        }
    }
}
