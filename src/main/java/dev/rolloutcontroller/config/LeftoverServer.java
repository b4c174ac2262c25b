package dev.rolloutcontroller.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The embedded PostgreSQL of a service that was killed ({@code kill -9}, OOM killer) outlives it: its
 * shutdown hook never ran. The server still holds the data directory, so the next start's server
 * cannot start, and zonky gives up waiting for it. This finds such a server through the directory's
 * {@code postmaster.pid} and stops it the way {@code pg_ctl stop -m fast} does, after checking that
 * the process really is a postgres serving this directory (a pid from the file may have been reused).
 */
final class LeftoverServer {

    private static final Logger LOG = Logger.getLogger(LeftoverServer.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private LeftoverServer() {
    }

    static void stopIfRunning(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (Files.notExists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        Optional<ProcessHandle> process = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0)).flatMap(ProcessHandle::of);
        if (process.isEmpty() || !process.get().isAlive()) {
            // A stale file of a server that died with its service: PostgreSQL itself recovers from that.
            return;
        }
        ProcessHandle postmaster = process.get();
        if (!servesDirectory(postmaster, lines, dataDirectory)) {
            LOG.warning(() -> "postmaster.pid in " + dataDirectory + " names pid " + postmaster.pid()
                    + ", which is not a PostgreSQL server of this directory; leaving it alone");
            return;
        }
        long started = System.nanoTime();
        LOG.warning(() -> "A PostgreSQL server (pid " + postmaster.pid() + ") left running on " + dataDirectory
                + " by a previous run of the service is being stopped");
        requestFastShutdown(postmaster);
        try {
            postmaster.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the leftover PostgreSQL server", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the leftover PostgreSQL server (pid " + postmaster.pid() + ") on " + dataDirectory
                    + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s; stop it, then start the service again", e);
        }
        LOG.info(() -> "The leftover PostgreSQL server stopped in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
    }

    /**
     * SIGINT is PostgreSQL's fast shutdown (what {@code pg_ctl stop -m fast} sends): open transactions
     * roll back, a checkpoint is written, the server exits cleanly. Java can send only SIGTERM (a smart
     * shutdown, which waits for clients to leave; those of the killed service are gone), the fallback
     * where no {@code kill} program exists.
     */
    private static void requestFastShutdown(ProcessHandle postmaster) throws IOException {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).inheritIO().start();
            if (kill.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            LOG.fine(() -> "no kill program: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the leftover PostgreSQL server", e);
        }
        postmaster.destroy();
    }

    /**
     * The second line of postmaster.pid is the data directory the server was started on; the process
     * must also be a {@code postgres} executable (a live pid from the file could be anything by now).
     */
    private static boolean servesDirectory(ProcessHandle process, List<String> pidFileLines, Path dataDirectory) throws IOException {
        if (pidFileLines.size() < 2 || !sameDirectory(Path.of(pidFileLines.get(1).strip()), dataDirectory)) {
            return false;
        }
        return process.info().command().map(Path::of).map(Path::getFileName).map(Path::toString)
                .filter(name -> name.equals("postgres")).isPresent();
    }

    private static boolean sameDirectory(Path recorded, Path dataDirectory) throws IOException {
        return Files.exists(recorded) && Files.isSameFile(recorded, dataDirectory);
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
