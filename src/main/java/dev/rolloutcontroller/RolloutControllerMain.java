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
    /** The packaged service's data; quarkus:dev sets ROLLOUT_EMBEDDED_DB_DATA_DIR=data/dev (see pom.xml). */
    static final String DATA_DIR = "data/postgres";
    /** The exit status when no database is configured at all (EX_CONFIG of sysexits.h). */
    static final int NO_DATABASE_STATUS = 78;

    private RolloutControllerMain() {
    }

    public static void main(String... args) {
        // A dev-mode live reload calls main again in the same JVM: the URL set below then says the
        // first server is still running.
        if (setting(URL_PROPERTY, null) == null) {
            if (!Boolean.parseBoolean(setting(ENABLED_PROPERTY, "true"))) {
                // One line instead of Quarkus's page of "datasource not configured" stack traces.
                System.err.println("No database: ROLLOUT_EMBEDDED_DB_ENABLED=false, so set QUARKUS_DATASOURCE_JDBC_URL "
                        + "(and QUARKUS_DATASOURCE_USERNAME, QUARKUS_DATASOURCE_PASSWORD) to your PostgreSQL, "
                        + "or unset ROLLOUT_EMBEDDED_DB_ENABLED to use the embedded one.");
                System.exit(NO_DATABASE_STATUS);
            }
            Path dataDir = Path.of(setting(DATA_DIR_PROPERTY, DATA_DIR));
            EmbeddedDatabase db = EmbeddedDatabase.persistentAt(dataDir).start();
            db.datasourceConfig().forEach(System::setProperty);
        }
        Quarkus.run(args);
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
