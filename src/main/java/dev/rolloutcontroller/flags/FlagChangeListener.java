package dev.rolloutcontroller.flags;

import dev.rolloutcontroller.persistence.ChangeChannel;
import dev.rolloutcontroller.persistence.RolloutEntity;
import dev.rolloutcontroller.service.RolloutChanged;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Brings changes committed by other replicas into this one's flag snapshot within milliseconds:
 * every change sends {@code NOTIFY rollout_flags, '<key>'} in its transaction, and the listener
 * re-reads the rollouts named (everything after a lost connection); see {@link ChangeChannel}.
 */
@ApplicationScoped
public class FlagChangeListener {

    static final String CHANNEL = "rollout_flags";

    private final ChangeChannel channel;

    FlagChangeListener(FlagStore store,
                       @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                       @ConfigProperty(name = "quarkus.datasource.username") String username,
                       @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.channel = new ChangeChannel(CHANNEL, url, username, password.orElse(""), store::reload, store::refresh);
    }

    /** In the changing transaction: PostgreSQL delivers the notification only if it commits. */
    void notifyReplicas(@Observes RolloutChanged changed) {
        ChangeChannel.announce(RolloutEntity.getEntityManager(), CHANNEL, changed.rollout().key());
    }

    void onStart(@Observes StartupEvent event) {
        channel.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        channel.stop();
    }
}
