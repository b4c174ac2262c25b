package dev.rolloutcontroller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Every setting of the service, under {@code rollout.*}. Secrets come from the environment only. */
@ConfigMapping(prefix = "rollout")
public interface RolloutConfig {

    /**
     * An admin token accepted without being stored ({@code ROLLOUT_ADMIN_TOKEN}). Without it, a
     * database with no admin token gets a generated one, printed once at startup.
     */
    Optional<String> adminToken();

    Security security();

    interface Security {
        /** How often tokens created or revoked on other replicas are picked up. */
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

        /** How long after COMPLETED the triggers keep watching (and may still roll back). */
        @WithDefault("PT24H")
        Duration watchPeriod();

        /** A reporting session counts as converged when it applies the current version within this window. */
        @WithDefault("PT2M")
        Duration convergenceWindow();
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
}
