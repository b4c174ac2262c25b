package dev.rolloutcontroller.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutcontroller.config.RolloutConfig;
import dev.rolloutcontroller.notify.WebhookOutbox.Claimed;
import dev.rolloutcontroller.notify.WebhookOutbox.Outcome;
import dev.rolloutcontroller.notify.WebhookOutbox.Prepared;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers due webhooks. Every replica runs it; the outbox's claim keeps them from sending the same
 * row twice. One pass claims up to {@code rollout.webhooks.batch-size} rows and sends them all at once,
 * so a receiver that hangs costs only its own attempt (cut off at the timeout), never the others'.
 */
@ApplicationScoped
public class WebhookWorker {

    static final String METRIC = "rollout.webhook.deliveries";

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class);

    private final WebhookOutbox outbox;
    private final WebhookSender sender;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final RolloutConfig config;
    private final WebhookAddressPolicy addressPolicy;
    private final Clock clock;

    WebhookWorker(WebhookOutbox outbox, WebhookSender sender, ObjectMapper mapper, MeterRegistry registry,
                  RolloutConfig config, WebhookAddressPolicy addressPolicy, Clock clock) {
        this.outbox = outbox;
        this.sender = sender;
        this.mapper = mapper;
        this.registry = registry;
        this.config = config;
        this.addressPolicy = addressPolicy;
        this.clock = clock;
    }

    @Scheduled(every = "${rollout.webhooks.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (!config.webhooks().enabled()) {
            return;
        }
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warnf("webhook pass skipped: %s", e.getMessage());
        }
    }

    /**
     * One pass: claim the due deliveries, send them concurrently, record each outcome as it arrives,
     * and return once all have (at most the timeout after the last send). Returns how many were attempted.
     */
    public int runOnce() {
        List<Claimed> claimed = outbox.claim(clock.instant(), config.webhooks().batchSize());
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Prepared> prepared = outbox.prepare(claimed);
        CompletableFuture<?>[] attempts = prepared.stream()
                .map(delivery -> attempt(delivery).thenAccept(outcome -> record(delivery.claimed(), outcome)))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(attempts).join();
        return prepared.size();
    }

    private CompletableFuture<Outcome> attempt(Prepared delivery) {
        if (delivery.problem() != null) {
            return CompletableFuture.completedFuture(new Outcome(null, "not sent: " + delivery.problem()));
        }
        String host = URI.create(delivery.url()).getHost();
        Optional<String> refusal = host == null
                ? Optional.of("the URL has no host name")
                : addressPolicy.refusalAfterResolving(host);
        if (refusal.isPresent()) {
            return CompletableFuture.completedFuture(new Outcome(null, "not sent: " + refusal.get()));
        }
        byte[] body;
        try {
            body = "slack".equals(delivery.format())
                    ? mapper.writeValueAsBytes(SlackMessage.of(delivery.notification()))
                    : mapper.writeValueAsBytes(delivery.notification());
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new Outcome(null, "not sent: the body could not be written: " + e.getOriginalMessage()));
        }
        return sender.send(delivery.url(), delivery.claimed().eventId(), delivery.claimed().type().wireName(),
                delivery.secret(), body);
    }

    private void record(Claimed claimed, Outcome outcome) {
        try {
            outbox.complete(claimed, outcome, clock.instant()).ifPresent(status -> {
                String result = switch (status) {
                    case WebhookDeliveryEntity.DELIVERED -> "delivered";
                    case WebhookDeliveryEntity.DEAD -> "dead";
                    default -> "failed";
                };
                registry.counter(METRIC, "outcome", result).increment();
                if (!outcome.delivered()) {
                    LOG.infof("webhook delivery %d (%s) attempt %d: %s", claimed.id(), claimed.type().wireName(),
                            claimed.attempt(), outcome.error() == null ? "HTTP " + outcome.httpStatus() : outcome.error());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("webhook delivery %d: the outcome was not recorded, it is due again after its lease (%s)",
                    claimed.id(), e.getMessage());
        }
    }
}
