package dev.rolloutcontroller.support;

import dev.rolloutcontroller.config.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * One real PostgreSQL for the whole test run: the embedded one on a free port, or the external
 * server named by QUARKUS_DATASOURCE_JDBC_URL (then nothing is started here).
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedDatabase database;

    @Override
    public synchronized Map<String, String> start() {
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return Map.of();
        }
        if (database == null) {
            database = EmbeddedDatabase.ephemeral().start();
        }
        return database.datasourceConfig();
    }

    @Override
    public synchronized void stop() {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** The embedded server of this run, for tests that take the database away (absent with an external one). */
    public static synchronized java.util.Optional<EmbeddedDatabase> embedded() {
        return java.util.Optional.ofNullable(database);
    }
}
