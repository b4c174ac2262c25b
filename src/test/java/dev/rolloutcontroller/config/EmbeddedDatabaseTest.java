package dev.rolloutcontroller.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded server lets in only who gives the superuser's password, kept owner-only in its data directory. */
class EmbeddedDatabaseTest {

    @Test
    void shouldRequireTheGeneratedPasswordKeptOwnerOnlyInTheDataDirectory() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.ephemeral().start()) {
            Map<String, String> config = database.datasourceConfig();
            Path passwordFile = database.dataDirectory().resolve(EmbeddedDatabase.PASSWORD_FILE);

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            assertEquals(Files.readString(passwordFile).strip(), config.get("quarkus.datasource.password"));
            assertEquals(64, config.get("quarkus.datasource.password").length());
            assertRefused(database.jdbcUrl(), "");
            assertRefused(database.jdbcUrl(), "postgres");
            assertConnects(database.jdbcUrl(), config.get("quarkus.datasource.password"));
        }
    }

    @Test
    void shouldGiveADataDirectoryFromBeforePasswordsOne() throws Exception {
        Path dataDirectory = Files.createTempDirectory("rollout-pg-legacy-");
        // What earlier versions left behind: initdb with trust for everyone, no password.
        EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).start().close();
        try (EmbeddedDatabase database = EmbeddedDatabase.persistentAt(dataDirectory).start()) {
            String password = database.datasourceConfig().get("quarkus.datasource.password");
            assertEquals(Files.readString(dataDirectory.resolve(EmbeddedDatabase.PASSWORD_FILE)).strip(), password);
            assertRefused(database.jdbcUrl(), "");
            assertConnects(database.jdbcUrl(), password);

            database.stop();
            database.start();
            assertEquals(password, database.datasourceConfig().get("quarkus.datasource.password"), "kept across restarts");
            assertConnects(database.jdbcUrl(), password);
        } finally {
            try (var paths = Files.walk(dataDirectory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void assertRefused(String url, String password) {
        SQLException refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url, EmbeddedDatabase.USER, password).close());
        assertTrue(refused.getMessage().contains("password"), refused.getMessage());
    }

    private static void assertConnects(String url, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, EmbeddedDatabase.USER, password);
             ResultSet result = connection.createStatement().executeQuery("select 1")) {
            assertTrue(result.next());
        }
    }
}
