package io.jitguard.functions;

import io.jitguard.output.Notification;
import io.jitguard.report.Report;
import io.jitguard.report.SafeText;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Posts one message a run to {@code JITGUARD_NOTIFY_WEBHOOK} (Slack incoming webhook, Teams Workflows webhook, or any
 * endpoint that takes JSON) in {@code JITGUARD_NOTIFY_FORMAT} ({@code json}, the default, {@code slack} or
 * {@code teams}), when the run fixed something, found exposure or failed ({@link Notification#of}).
 *
 * <p>The webhook URL is a secret (its path or query is the credential): it is never logged; what is logged names the
 * host only, and any text from the HTTP client or the endpoint is scrubbed of the URL's path and query first. A failure
 * to notify is logged as a warning and never fails the run. One attempt, {@link #TIMEOUT} at most, so an event run
 * stays inside Event Grid's wait.
 */
public final class Notifier {
    public static final String WEBHOOK = "JITGUARD_NOTIFY_WEBHOOK";
    public static final String FORMAT = "JITGUARD_NOTIFY_FORMAT";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Notifier NONE = new Notifier(null, null);

    private final String webhook;
    private final String format;
    private final FunctionsRuntime.Lazy<HttpClient> client = new FunctionsRuntime.Lazy<>(() -> HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build());

    private Notifier(String webhook, String format) {
        this.webhook = webhook == null || webhook.isBlank() ? null : webhook.strip();
        this.format = format;
    }

    /** No notifications. */
    public static Notifier none() {
        return NONE;
    }

    /** From {@code JITGUARD_NOTIFY_WEBHOOK} and {@code JITGUARD_NOTIFY_FORMAT}; none when the webhook is unset. */
    public static Notifier fromEnvironment(Map<String, String> env) {
        String webhook = env.get(WEBHOOK);
        return webhook == null || webhook.isBlank() ? NONE : new Notifier(webhook, env.get(FORMAT));
    }

    public static Notifier of(String webhook, String format) {
        return new Notifier(webhook, format);
    }

    /** Sends the run's message, if it has one. Never throws. */
    public void send(Report report, Logger log) {
        if (webhook == null || report == null) {
            return;
        }
        try {
            Notification.Format f;
            try {
                f = Notification.Format.parse(format);
            } catch (IllegalArgumentException e) {
                log.warning("jitguard: no notification sent: " + SafeText.oneLine(e.getMessage()));
                return;
            }
            Optional<Notification> message = Notification.of(report);
            if (message.isEmpty()) {
                return;
            }
            URI uri = uri();
            if (uri == null) {
                log.warning("jitguard: no notification sent: " + WEBHOOK + " is not an absolute http(s) URL");
                return;
            }
            String body = message.get().render(f);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            HttpResponse<String> response = client.get().send(request,
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 == 2) {
                log.info("jitguard: notification sent (" + f.name().toLowerCase(Locale.ROOT) + ", "
                        + message.get().items().size() + " items) to " + uri.getHost());
            } else {
                String answer = response.body() == null ? "" : response.body();
                log.warning("jitguard: notification to " + uri.getHost() + " was refused: HTTP "
                        + response.statusCode() + " " + SafeText.oneLine(scrub(answer.length() > 200
                        ? answer.substring(0, 200) : answer)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warning("jitguard: notification interrupted");
        } catch (Exception e) {
            // the message of an I/O exception may quote the request; only its scrubbed text is logged, never the
            // exception itself (a stack trace would bypass the scrubbing)
            log.warning("jitguard: notification failed (" + e.getClass().getSimpleName() + "): "
                    + SafeText.oneLine(scrub(String.valueOf(e.getMessage()))) + "; the run is not affected");
        }
    }

    private URI uri() {
        try {
            URI uri = new URI(webhook);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                return null;
            }
            return uri;
        } catch (Exception e) {
            return null;
        }
    }

    /** The text with every secret part of the webhook URL (whole, path, query, decoded or not) replaced. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        Set<String> secrets = new LinkedHashSet<>();
        secrets.add(webhook);
        int schemeEnd = webhook.indexOf("://");
        int pathStart = schemeEnd < 0 ? -1 : webhook.indexOf('/', schemeEnd + 3);
        int queryStart = webhook.indexOf('?');
        if (pathStart >= 0) {
            String rest = webhook.substring(pathStart);
            secrets.add(rest);
            secrets.add(URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8));
            for (String segment : rest.split("[/?&=]")) {
                if (segment.length() >= 6) {
                    secrets.add(segment);
                }
            }
        }
        if (queryStart >= 0) {
            secrets.add(webhook.substring(queryStart));
        }
        String out = text;
        for (String s : secrets.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
            if (!s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }
}
