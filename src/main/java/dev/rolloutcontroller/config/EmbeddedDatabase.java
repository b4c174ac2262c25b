package dev.rolloutcontroller.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server (zonky's binaries shipped as Maven artifacts) for a machine with nothing
 * but a JDK. It runs before Quarkus boots, so its address reaches the datasource as plain
 * configuration: the application never knows whether its database is embedded or external.
 * <p>
 * The superuser has a password, generated on first start and kept in the data directory (owner-only,
 * 0600), and every connection, local socket or TCP, must give it (scram-sha-256): anyone else on the
 * machine can reach the port, so it must not be an open door to the data. See docs/decisions/0007.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    /** The superuser's password, inside the data directory, readable by the service's user only. */
    public static final String PASSWORD_FILE = "rollout-superuser-password";

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
    private static final String OWNER_ONLY = "rw-------";
    private static final String PG_HBA = """
            # Written by rollout-controller: every connection gives the superuser's password
            # (kept in %s, readable by the service's user only).
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            """.formatted(PASSWORD_FILE);

    private final Path dataDirectory;
    private final boolean persistent;
    private int port;
    private String password;
    private EmbeddedPostgres server;
    private boolean shutdownHookRegistered;

    private EmbeddedDatabase(Path dataDirectory, boolean persistent) {
        this.dataDirectory = dataDirectory;
        this.persistent = persistent;
    }

    /** A server whose data survive restarts (the service's default store). */
    public static EmbeddedDatabase persistentAt(Path dataDirectory) {
        return new EmbeddedDatabase(dataDirectory.toAbsolutePath(), true);
    }

    /** A throw-away server for a test run: a fresh directory, wiped on start. */
    public static EmbeddedDatabase ephemeral() {
        try {
            return new EmbeddedDatabase(Files.createTempDirectory("rollout-pg-"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the server on a free port (the same port again after a {@link #stop()}). A server left
     * running on this data directory by a killed service is stopped first.
     */
    public synchronized EmbeddedDatabase start() {
        try {
            Files.createDirectories(dataDirectory);
            if (port == 0) {
                port = freePort();
            }
            LeftoverServer.stopIfRunning(dataDirectory);
            boolean initialised = Files.exists(dataDirectory.resolve("postgresql.conf"));
            Path passwordFile = dataDirectory.resolve(PASSWORD_FILE);
            // Written beside the directory until initdb has filled it (initdb wants it empty), then moved in;
            // a start cut short in between finds it there.
            Path pendingPasswordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
            if (initialised && Files.notExists(passwordFile) && Files.exists(pendingPasswordFile)) {
                Files.move(pendingPasswordFile, passwordFile, StandardCopyOption.ATOMIC_MOVE);
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "200")
                    .setRegisterShutdownHook(false);
            if (!initialised) {
                password = generatePassword();
                writeOwnerOnly(pendingPasswordFile, password);
                // zonky runs initdb with -A trust; these later options win.
                builder.setLocaleConfig("auth-local", "scram-sha-256")
                        .setLocaleConfig("auth-host", "scram-sha-256")
                        .setLocaleConfig("pwfile", pendingPasswordFile.toString());
            } else if (Files.exists(passwordFile)) {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            }
            if (password != null) {
                builder.setConnectConfig("password", password);
            }
            server = builder.start();
            if (!initialised) {
                Files.move(pendingPasswordFile, passwordFile, StandardCopyOption.ATOMIC_MOVE);
            } else if (password == null) {
                requirePassword(passwordFile);
            }
            if (!shutdownHookRegistered) {
                Runtime.getRuntime().addShutdownHook(new Thread(this::close, "embedded-postgres-shutdown"));
                shutdownHookRegistered = true;
            }
            LOG.info(() -> "Embedded PostgreSQL listening on port " + port + ", data in " + dataDirectory
                    + ", superuser password in " + passwordFile);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * A data directory from before passwords (trust authentication): give the superuser a password,
     * keep it, and require it from now on.
     */
    private void requirePassword(Path passwordFile) throws IOException {
        String generated = generatePassword();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("set password_encryption = 'scram-sha-256'");
            statement.execute("alter role " + USER + " with password '" + generated + "'");
            writeOwnerOnly(passwordFile, generated);
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not give the superuser a password: " + e.getMessage(), e);
        }
        password = generated;
        LOG.info(() -> "The embedded PostgreSQL had no superuser password; one was generated into " + passwordFile);
    }

    /** Stops the server, keeping its data and port so {@link #start()} brings the same database back. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    /** Stops the server; a throw-away server's directory goes with it. */
    @Override
    public void close() {
        stop();
        if (!persistent) {
            deleteRecursively(dataDirectory);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The datasource configuration that points Quarkus at this server. */
    public Map<String, String> datasourceConfig() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", password);
    }

    /** 32 random bytes as hex: no character needs quoting in SQL, a URL or a properties file. */
    private static String generatePassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
        Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warning(() -> "could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
