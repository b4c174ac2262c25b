package dev.rolloutcontroller.config;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * In dev mode, says at startup where the API is (with the port the server really listens on) and
 * which admin token it accepts, so the README's quickstart can be pasted without guessing either.
 */
@IfBuildProfile("dev")
@ApplicationScoped
class DevModeBanner {

    private static final Logger LOG = Logger.getLogger(DevModeBanner.class);

    private final RolloutConfig config;
    private final HttpServer server;
    private final int configuredPort;

    DevModeBanner(RolloutConfig config, HttpServer server, @ConfigProperty(name = "quarkus.http.port") int configuredPort) {
        this.config = config;
        this.server = server;
        this.configuredPort = configuredPort;
    }

    void onStart(@Observes StartupEvent event) {
        // The server binds the configured port; after a live reload it already listens and knows it.
        int port = server.getPort() > 0 ? server.getPort() : configuredPort;
        String api = "http://localhost:" + port + "/api/v1";
        LOG.info(config.adminToken().filter(token -> !token.isBlank())
                .map(token -> "Dev mode: the API is at " + api + " and accepts the admin token '" + token
                        + "' (dev profile only):\n\n    export TOKEN=" + token + " API=" + api + "\n")
                .orElse("Dev mode: the API is at " + api + "; no admin token is configured (rollout.admin-token)"));
    }
}
