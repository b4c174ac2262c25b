package dev.rolloutcontroller.support;

import java.nio.file.Path;
import java.util.List;

/**
 * How the packaged service is started: {@code java -jar quarkus-run.jar} from the fast-jar directory,
 * as the image (src/main/docker/Dockerfile.jvm), the systemd unit and the integration tests do.
 */
public final class PackagedService {

    /** The launcher of Quarkus's fast-jar layout. */
    public static final String JAR = "quarkus-run.jar";
    /** Where {@code ./mvnw package} puts it. */
    public static final Path APP_DIR = Path.of("target", "quarkus-app");

    private PackagedService() {
    }

    /** The command line, with JVM options before {@code -jar}. */
    public static List<String> command(Path appDir, String... jvmOptions) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", appDir.resolve(JAR).toString()));
        return command;
    }
}
