package dev.rolloutcontroller.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only a live postgres of this very directory is stopped; the stopping itself is shown by
 * PackagedServiceIT, which kills the packaged service with SIGKILL.
 */
class LeftoverServerTest {

    @TempDir
    Path dataDirectory;

    @Test
    void shouldLeaveALivePidThatIsNotAPostgresAlone() throws Exception {
        // This JVM's own pid: alive, not a postgres. Signalling it would end the test run.
        pidFile(ProcessHandle.current().pid(), dataDirectory.toString());

        assertDoesNotThrow(() -> LeftoverServer.stopIfRunning(dataDirectory));
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    void shouldIgnoreAStalePidFile() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        pidFile(exited.pid(), dataDirectory.toString());

        assertDoesNotThrow(() -> LeftoverServer.stopIfRunning(dataDirectory));
    }

    private void pidFile(long pid, String directory) throws Exception {
        Files.write(dataDirectory.resolve("postmaster.pid"), List.of(Long.toString(pid), directory, "1700000000", "5432"));
    }
}
