package dev.rolloutcontroller.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server (zonky's binaries shipped as Maven artifacts) for a machine with nothing
 * but a JDK. It runs before Quarkus boots, so its address reaches the datasource as plain
 * configuration: the application never knows whether its database is embedded or external.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

    private final Path dataDirectory;
    private final boolean persistent;
    private int port;
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

    /** Starts the server on a free port (the same port again after a {@link #stop()}). */
    public synchronized EmbeddedDatabase start() {
        try {
            Files.createDirectories(dataDirectory);
            if (port == 0) {
                port = freePort();
            }
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "200")
                    .setRegisterShutdownHook(false)
                    .start();
            if (!shutdownHookRegistered) {
                Runtime.getRuntime().addShutdownHook(new Thread(this::close, "embedded-postgres-shutdown"));
                shutdownHookRegistered = true;
            }
            LOG.info(() -> "Embedded PostgreSQL listening on port " + port + ", data in " + dataDirectory);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
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

    /** The datasource configuration that points Quarkus at this server. */
    public Map<String, String> datasourceConfig() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", "");
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
