package dev.rolloutcontroller.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tests that need a binary from a Debian package: skipped with one line where it is missing, required
 * (failing) when the environment says {@code CI=true}, where .ci/run installs it.
 */
public final class Binaries {

    public static final String PROMETHEUS = "/usr/bin/prometheus";
    public static final String PROMTOOL = "/usr/bin/promtool";

    private Binaries() {
    }

    /** The binary's path; aborts the test (or fails it under CI=true) when it is not installed. */
    public static Path require(String binary) {
        Path path = Path.of(binary);
        if (Files.isExecutable(path)) {
            return path;
        }
        String message = binary + " is not installed (Debian package prometheus)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + ", and CI=true requires it");
        }
        Assumptions.abort(message + ": skipped");
        throw new IllegalStateException("unreachable");
    }

    public record Result(int exitCode, String output) {
    }

    /** Runs a command to its end (at most a minute) and returns its exit code and combined output. */
    public static Result run(Path directory, String... command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(directory.toFile())
                    .redirectErrorStream(true).start();
            try {
                byte[] output = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(String.join(" ", command) + " did not end within a minute");
                }
                return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
            } finally {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
