package dev.rolloutcontroller;

import dev.rolloutcontroller.config.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Path;

/**
 * Starts the embedded PostgreSQL before Quarkus when no external database is configured, so that
 * both {@code ./mvnw quarkus:dev} and {@code java -jar target/quarkus-app/quarkus-run.jar} work on a
 * machine with only a JDK. Runs before Quarkus configuration exists, hence plain environment and
 * system-property look-ups.
 */
@QuarkusMain
public final class RolloutControllerMain {

    static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";
    static final String DATA_DIR_PROPERTY = "rollout.embedded-db.data-dir";
    static final String ENABLED_PROPERTY = "rollout.embedded-db.enabled";

    private RolloutControllerMain() {
    }

    public static void main(String... args) {
        // A dev-mode live reload calls main again in the same JVM: the URL set below then says the
        // first server is still running.
        if (embeddedDatabaseWanted()) {
            Path dataDir = Path.of(setting(DATA_DIR_PROPERTY, "data/postgres"));
            EmbeddedDatabase db = EmbeddedDatabase.persistentAt(dataDir).start();
            db.datasourceConfig().forEach(System::setProperty);
        }
        Quarkus.run(args);
    }

    private static boolean embeddedDatabaseWanted() {
        return setting(URL_PROPERTY, null) == null && Boolean.parseBoolean(setting(ENABLED_PROPERTY, "true"));
    }

    /** A system property, else its environment-variable form (QUARKUS_DATASOURCE_JDBC_URL), else the default. */
    private static String setting(String property, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
