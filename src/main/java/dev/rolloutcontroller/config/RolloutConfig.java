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
    }
}
