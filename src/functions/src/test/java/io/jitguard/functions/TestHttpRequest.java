package io.jitguard.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A small {@link HttpRequestMessage} double with a response builder, as the Java worker provides them. */
final class TestHttpRequest implements HttpRequestMessage<Optional<String>> {
    private final HttpMethod method;
    private final URI uri;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> query = new LinkedHashMap<>();
    private final String body;

    private TestHttpRequest(HttpMethod method, URI uri, String body) {
        this.method = method;
        this.uri = uri;
        this.body = body;
    }

    static TestHttpRequest post(String route, String body) {
        TestHttpRequest r = new TestHttpRequest(HttpMethod.POST, URI.create("https://jitguard.test/api/" + route),
                body);
        r.headers.put("Content-Type", "application/json");
        return r;
    }

    static TestHttpRequest get(String route, Map<String, String> query) {
        TestHttpRequest r = new TestHttpRequest(HttpMethod.GET, URI.create("https://jitguard.test/api/" + route), null);
        r.query.putAll(query);
        return r;
    }

    TestHttpRequest header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        return query;
    }

    @Override
    public Optional<String> getBody() {
        return Optional.ofNullable(body);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return new Response.Builder().status(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new Response.Builder().status(status);
    }

    static final class Response implements HttpResponseMessage {
        private final HttpStatusType status;
        private final Map<String, String> headers;
        private final Object body;

        private Response(HttpStatusType status, Map<String, String> headers, Object body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        @Override
        public HttpStatusType getStatus() {
            return status;
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name);
        }

        @Override
        public Object getBody() {
            return body;
        }

        static final class Builder implements HttpResponseMessage.Builder {
            private HttpStatusType status = HttpStatus.OK;
            private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            private Object body;

            @Override
            public HttpResponseMessage.Builder status(HttpStatusType s) {
                status = s;
                return this;
            }

            @Override
            public HttpResponseMessage.Builder header(String name, String value) {
                headers.put(name, value);
                return this;
            }

            @Override
            public HttpResponseMessage.Builder body(Object b) {
                body = b;
                return this;
            }

            @Override
            public HttpResponseMessage build() {
                Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                copy.putAll(headers);
                return new Response(status, copy, body);
            }
        }
    }
}
