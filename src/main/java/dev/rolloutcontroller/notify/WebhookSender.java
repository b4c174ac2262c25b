package dev.rolloutcontroller.notify;

import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.notify.WebhookOutbox.Outcome;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one body, asynchronously, and never waits longer than {@code rollout.webhooks.timeout} for the
 * whole exchange. Redirects are not followed: a receiver cannot send the service on to a host the
 * address policy would refuse. The worker checks the host's addresses just before; the client resolves
 * the name again through the JVM's address cache, which keeps that answer for 30 s whatever its TTL,
 * so it connects to an address that was checked (docs/decisions/0006).
 */
@ApplicationScoped
public class WebhookSender {

    public static final String EVENT_ID_HEADER = "X-Rollout-Event-Id";
    public static final String EVENT_TYPE_HEADER = "X-Rollout-Event-Type";

    private final HttpClient client;
    private final Duration timeout;

    WebhookSender(RolloutConfig config) {
        this.timeout = config.webhooks().timeout();
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The attempt's outcome; the future always completes normally, within the timeout. */
    public CompletableFuture<Outcome> send(String url, long eventId, String type, String secret, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "rollout-controller-webhooks")
                .header(EVENT_ID_HEADER, Long.toString(eventId))
                .header(EVENT_TYPE_HEADER, type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            request.header(WebhookSignature.HEADER, WebhookSignature.sign(secret, body));
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> error == null
                        ? new Outcome(response.statusCode(), null)
                        : new Outcome(null, describe(error)));
    }

    /** A short reason for the delivery log; never a stack trace. */
    private String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpConnectTimeoutException) {
            return "could not connect within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "could not connect" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        return cause.getMessage() == null ? "the request failed" : "the request failed: " + cause.getMessage();
    }
}
