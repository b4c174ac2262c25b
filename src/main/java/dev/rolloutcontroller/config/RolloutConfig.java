package dev.rolloutcontroller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of the service, under {@code rollout.*}. Secrets come from the environment only. */
@ConfigMapping(prefix = "rollout")
public interface RolloutConfig {

    /**
     * An admin token accepted without being stored ({@code ROLLOUT_ADMIN_TOKEN}). Without it, a
     * database with no admin token gets a generated one, printed once at startup.
     */
    Optional<String> adminToken();

    /**
     * Service-wide freezes ({@code rollout.freezes[0].from=2026-12-21T00:00:00Z}, {@code .to}, {@code .reason}): no
     * rollout starts or advances inside one, forced or not, unless an admin overrides it. Checked at startup by the
     * same rules as a plan's freezes.
     */
    Optional<List<FreezePeriod>> freezes();

    /** An absolute period, ISO-8601 instants with an offset. */
    interface FreezePeriod {
        String from();

        String to();

        String reason();
    }

    Security security();

    interface Security {
        /**
         * How often the tokens are re-read: the safety net behind the notification that brings a token
         * created or revoked on another replica within milliseconds.
         */
        @WithDefault("PT10S")
        Duration refreshInterval();

        /**
         * Lets requests without a token through to the endpoints any token may call (reads and flag
         * reads); writes still need a token, and a token that is sent must be valid.
         */
        @WithDefault("false")
        boolean anonymousReads();
    }

    Flags flags();

    interface Flags {
        /**
         * How often the in-memory flag snapshot is re-read from the database: the safety net behind
         * the update after each committed change, and how changes made by other replicas arrive.
         */
        @WithDefault("PT5S")
        Duration refreshInterval();

        /** How often an open flag stream gets a comment line, so proxies keep it open and clients notice a dead one. */
        @WithDefault("PT15S")
        Duration heartbeatInterval();
    }

    Evaluator evaluator();

    interface Evaluator {
        /** Whether this replica competes for the evaluator's leadership at all. */
        @WithDefault("true")
        boolean enabled();

        /** How often the leader evaluates every live rollout (the ${rollout.evaluator.interval} of @Scheduled). */
        @WithDefault("10s")
        String interval();

        /**
         * How long the evaluator lease lasts without renewal (by the database clock): a leader that
         * freezes or loses the database is replaced after at most this plus one renewal period.
         */
        @WithDefault("PT10S")
        Duration leaseDuration();

        /** How often the leader renews the lease and the others try to take it; shorter than the duration. */
        @WithDefault("3s")
        Duration leaseRenewal();

        /** How long after COMPLETED the triggers keep watching (and may still roll back). */
        @WithDefault("PT24H")
        Duration watchPeriod();

        /** A reporting session counts as converged when it applies the current version within this window. */
        @WithDefault("PT2M")
        Duration convergenceWindow();

        /**
         * Journal entries older than this that changed nothing (action NONE, no failure) are deleted; those
         * that acted or failed are kept, and so is each rollout's newest entry (it carries the trigger streaks).
         */
        @WithDefault("P30D")
        Duration journalRetention();

        /** How long before a scheduled start {@code rollout.starting-soon} goes out (once), naming what is still open. */
        @WithDefault("PT24H")
        Duration startingSoonNotice();
    }

    Telemetry telemetry();

    interface Telemetry {
        /** Raw reports older than this are deleted; per-minute rollups and the journal are kept. */
        @WithDefault("P7D")
        Duration retention();

        /** How far in the future a report's period may end (clock skew between daemon and service). */
        @WithDefault("PT1M")
        Duration clockSkew();
    }

    Webhooks webhooks();

    /** Webhook notifications (notify/): the outbox worker and what a subscription may point at. */
    interface Webhooks {
        /** Whether this replica delivers webhooks; every replica may, they share the work through the outbox. */
        @WithDefault("true")
        boolean enabled();

        /** How often the worker looks for due deliveries (the ${rollout.webhooks.poll-interval} of @Scheduled). */
        @WithDefault("2s")
        String pollInterval();

        /**
         * Host names a subscription URL may name ({@code hooks.slack.com}, or {@code *.example.com} for its
         * subdomains); absent means any host. Checked on subscribing and again before each attempt.
         */
        Optional<List<String>> allowedHosts();

        /** The whole of one attempt: connecting, sending, and the receiver's answer. */
        @WithDefault("PT5S")
        Duration timeout();

        /** Attempts before a delivery is marked dead (8 at the default backoff spread over about an hour). */
        @WithDefault("8")
        @Min(1)
        int maxAttempts();

        /** The wait after the first failed attempt; it doubles after each failure, with ±25% jitter. */
        @WithDefault("PT30S")
        Duration initialBackoff();

        /** How long a claimed delivery stays leased to its worker; if the worker dies it is due again after this. */
        @WithDefault("PT1M")
        Duration lease();

        /** The most deliveries one pass claims and sends at once. */
        @WithDefault("32")
        @Min(1)
        int batchSize();

        /** This service's public base URL (e.g. {@code https://rollouts.example.com}), for links in notifications. */
        Optional<String> publicUrl();
    }
    Metrics metrics();

    /** The rollout analysis exported on /q/metrics (monitoring/RolloutAnalysisMetrics). */
    interface Metrics {
        /** How often every replica re-reads the analysis from the database (scrapes only read the cached view). */
        @WithDefault("5s")
        String refreshInterval();

        /** The window of the per-path figures (sessions reporting, error ratio, cycle time, memory, CPU). */
        @WithDefault("PT5M")
        Duration pathWindow();

        /** How long a rollout's series stay after it completed or rolled back. */
        @WithDefault("PT1H")
        Duration endedRetention();
    }

    Prometheus prometheus();

    /** Where gates and triggers with {@code "source": "prometheus"} run their queries. */
    interface Prometheus {
        /** The Prometheus base URL, e.g. {@code http://prometheus:9090}; without it such queries are "no data". */
        Optional<String> url();

        /** A bearer token sent with each query (from the environment: ROLLOUT_PROMETHEUS_TOKEN). */
        Optional<String> token();

        /** The whole of one query; slower is "no data". */
        @WithDefault("PT5S")
        Duration timeout();
    }
}
