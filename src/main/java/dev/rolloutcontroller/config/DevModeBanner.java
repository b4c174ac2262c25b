package dev.rolloutcontroller.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * In dev mode, says once the server listens where the API is (with the port it really got) and which
 * admin token it accepts, so the README's quickstart can be pasted without guessing either.
 */
@ApplicationScoped
class DevModeBanner {

    private static final Logger LOG = Logger.getLogger(DevModeBanner.class);

    private final RolloutConfig config;

    DevModeBanner(RolloutConfig config) {
        this.config = config;
    }

    void onListening(@Observes HttpServerStart start) {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            return;
        }
        String api = "http://localhost:" + start.options().getPort() + "/api/v1";
        LOG.info(config.adminToken().filter(token -> !token.isBlank())
                .map(token -> "Dev mode: the API is at " + api + " and accepts the admin token '" + token
                        + "' (dev profile only):\n\n    export TOKEN=" + token + " API=" + api + "\n")
                .orElse("Dev mode: the API is at " + api + "; no admin token is configured (rollout.admin-token)"));
    }
}
