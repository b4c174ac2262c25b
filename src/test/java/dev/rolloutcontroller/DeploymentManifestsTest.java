package dev.rolloutcontroller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolloutcontroller.support.PackagedService;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No container engine or registry here, so deploy/ is checked against the running service instead: the files
 * parse, every probe path answers UP, ports and names line up, every environment variable is one the service
 * reads, and the image starts the jar the tests start.
 */
@QuarkusTest
class DeploymentManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path COMPOSE = Path.of("deploy/compose.yaml");
    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    private static final String SERVICE_IMAGE = "rollout-controller:latest";
    private static final List<String> PROBE_PATHS = List.of("/q/health/started", "/q/health/ready", "/q/health/live");

    @Test
    void shouldParseEveryManifestAndListThemAllInTheKustomization() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> paths = Files.list(KUBERNETES)) {
            paths.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(files::add);
        }
        Set<String> kinds = new TreeSet<>();
        for (String file : files) {
            JsonNode doc = yaml(KUBERNETES.resolve(file));
            if (!file.equals("kustomization.yaml")) {
                kinds.add(doc.path("kind").asText());
            }
        }
        assertEquals(Set.of("Deployment", "Service", "PodDisruptionBudget", "ServiceMonitor"), kinds);
        Set<String> listed = new TreeSet<>();
        yaml(KUBERNETES.resolve("kustomization.yaml")).path("resources").forEach(r -> listed.add(r.asText()));
        files.remove("kustomization.yaml");
        assertEquals(files, listed);
        assertTrue(yaml(COMPOSE).path("services").size() > 0);
    }

    @Test
    void shouldProbePathsTheServiceAnswersUpOnItsNamedPort() throws IOException {
        JsonNode container = container();
        List<String> probed = new ArrayList<>();
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            probed.add(get.path("path").asText());
            assertEquals("http", get.path("port").asText(), probe);
        }
        assertEquals(PROBE_PATHS, probed);
        for (String path : PROBE_PATHS) {
            given().get(path).then().statusCode(200).body("status", equalTo("UP"));
        }
        JsonNode port = container.path("ports").get(0);
        assertEquals("http", port.path("name").asText());
        assertEquals(configuredHttpPort(), port.path("containerPort").asInt());

        JsonNode service = yaml(KUBERNETES.resolve("service.yaml"));
        assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
        JsonNode monitor = yaml(KUBERNETES.resolve("servicemonitor.yaml")).at("/spec/endpoints/0");
        assertEquals(service.at("/spec/ports/0/name").asText(), monitor.path("port").asText());
        given().get(monitor.path("path").asText()).then().statusCode(200).body(containsString("# TYPE rollout_flag_reads"));
    }

    @Test
    void shouldSelectThePodsOfTheDeploymentEverywhere() throws IOException {
        JsonNode deployment = yaml(KUBERNETES.resolve("deployment.yaml"));
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        assertEquals(podLabels, deployment.at("/spec/selector/matchLabels"));
        assertEquals(podLabels, yaml(KUBERNETES.resolve("service.yaml")).at("/spec/selector"));
        assertEquals(podLabels, yaml(KUBERNETES.resolve("poddisruptionbudget.yaml")).at("/spec/selector/matchLabels"));
        assertEquals(yaml(KUBERNETES.resolve("service.yaml")).at("/metadata/labels"),
                yaml(KUBERNETES.resolve("servicemonitor.yaml")).at("/spec/selector/matchLabels"));
        assertEquals(2, deployment.at("/spec/replicas").asInt());
        assertEquals(0, deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt());
        assertEquals(1, yaml(KUBERNETES.resolve("poddisruptionbudget.yaml")).at("/spec/minAvailable").asInt());
    }

    @Test
    void shouldRunAsTheImagesNonRootUserOnAReadOnlyFilesystemWithLimits() throws IOException {
        JsonNode pod = yaml(KUBERNETES.resolve("deployment.yaml")).at("/spec/template/spec");
        JsonNode container = container();
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertEquals(dockerfileInstruction("USER"), pod.at("/securityContext/runAsUser").asText());
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("/tmp", container.at("/volumeMounts/0/mountPath").asText());
        String volume = container.at("/volumeMounts/0/name").asText();
        assertTrue(pod.path("volumes").findParents("name").stream()
                .anyMatch(v -> v.path("name").asText().equals(volume) && v.has("emptyDir")), "/tmp is an emptyDir");
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertFalse(container.at("/resources/" + kind + "/" + resource).asText().isEmpty(), kind + "." + resource);
            }
        }
    }

    @Test
    void shouldTakeSecretsByReferenceOnly() throws IOException {
        for (JsonNode env : container().path("env")) {
            String name = env.path("name").asText();
            if (name.endsWith("PASSWORD") || name.endsWith("TOKEN") || name.endsWith("JDBC_URL")) {
                assertFalse(env.has("value"), name + " must not be written in the manifest");
                assertFalse(env.at("/valueFrom/secretKeyRef/name").asText().isEmpty(), name + " comes from a Secret");
            }
        }
    }

    @Test
    void shouldNameOnlyEnvironmentVariablesTheServiceReads() throws IOException {
        Set<String> known = knownEnvironmentNames();
        assertFalse(known.contains("ROLLOUT_ADMIN_TOKN"), "a misspelt name must not pass");
        Map<String, List<String>> named = new java.util.LinkedHashMap<>();
        container().path("env").forEach(env -> named.computeIfAbsent("kubernetes", k -> new ArrayList<>()).add(env.path("name").asText()));
        for (Map.Entry<String, JsonNode> service : yaml(COMPOSE).path("services").properties()) {
            if (service.getValue().path("image").asText().equals(SERVICE_IMAGE)) {
                service.getValue().path("environment").fieldNames()
                        .forEachRemaining(name -> named.computeIfAbsent("compose " + service.getKey(), k -> new ArrayList<>()).add(name));
            }
        }
        assertEquals(Set.of("kubernetes", "compose replica-a", "compose replica-b"), named.keySet());
        named.forEach((where, names) -> names.forEach(name ->
                assertTrue(known.contains(name), () -> where + " sets " + name + ", which the service does not read")));
    }

    @Test
    void shouldBalanceComposeTrafficOverBothReplicasOnPostgres16() throws IOException {
        JsonNode services = yaml(COMPOSE).path("services");
        assertTrue(services.at("/postgres/image").asText().startsWith("postgres:16"));
        Set<String> replicas = new TreeSet<>();
        services.properties().forEach(s -> {
            if (s.getValue().path("image").asText().equals(SERVICE_IMAGE)) {
                replicas.add(s.getKey() + ":" + configuredHttpPort());
            }
        });
        assertEquals(2, replicas.size());
        String mount = services.at("/lb/volumes/0").asText();
        Path config = COMPOSE.resolveSibling(mount.substring(0, mount.indexOf(':')));
        Matcher servers = Pattern.compile("(?m)^\\s*server\\s+([\\w.-]+:\\d+)\\s").matcher(Files.readString(config));
        Set<String> upstream = new TreeSet<>();
        while (servers.find()) {
            upstream.add(servers.group(1));
        }
        assertEquals(replicas, upstream);
    }

    @Test
    void shouldStartTheImageWithTheJarTheTestsStart() throws IOException {
        assertEquals("[ \"/opt/jboss/container/java/run/run-java.sh\" ]", dockerfileInstruction("ENTRYPOINT"));
        // run-java.sh runs `java $JAVA_OPTS -jar $JAVA_APP_JAR`.
        assertEquals("JAVA_APP_JAR=\"/deployments/" + PackagedService.JAR + "\"", dockerfileEnv("JAVA_APP_JAR"));
        assertTrue(dockerfileLines().contains("COPY --chown=185 " + PackagedService.APP_DIR + "/*.jar /deployments/"));
        assertEquals(String.valueOf(configuredHttpPort()), dockerfileInstruction("EXPOSE"));
        // The options the image adds are ones the service reads.
        Config config = ConfigProvider.getConfig();
        assertTrue(config.getConfigValue("quarkus.http.host").getValue() != null);
        assertTrue(dockerfileEnv("JAVA_OPTS_APPEND").contains("-Dquarkus.http.host=0.0.0.0"));
        String healthCheck = dockerfileLines().stream().filter(l -> l.contains("curl")).findFirst().orElseThrow();
        Matcher url = Pattern.compile("http://localhost:(\\d+)(/\\S+)").matcher(healthCheck);
        assertTrue(url.find(), healthCheck);
        assertEquals(configuredHttpPort(), Integer.parseInt(url.group(1)));
        given().get(url.group(2)).then().statusCode(200).body("status", equalTo("UP"));
        // The systemd unit starts the same jar.
        assertTrue(Files.readString(Path.of("deploy/rollout-controller.service")).contains("-jar /opt/rollout-controller/" + PackagedService.JAR));
    }

    /**
     * Environment names the service reads: the environment form of every quarkus.* and rollout.* property its
     * configuration holds, the settings {@link RolloutControllerMain} reads before configuration exists, and names
     * used in the configuration's own expressions (${NAME:default}).
     */
    private static Set<String> knownEnvironmentNames() {
        Config config = ConfigProvider.getConfig();
        Set<String> known = new HashSet<>();
        for (String name : config.getPropertyNames()) {
            String property = name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name;
            if (property.startsWith("quarkus.") || property.startsWith("rollout.")) {
                known.add(environmentName(property));
            }
        }
        Stream.of(RolloutControllerMain.URL_PROPERTY, RolloutControllerMain.DATA_DIR_PROPERTY, RolloutControllerMain.ENABLED_PROPERTY)
                .map(DeploymentManifestsTest::environmentName).forEach(known::add);
        Pattern expression = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
        for (ConfigSource source : config.getConfigSources()) {
            for (String value : source.getProperties().values()) {
                Matcher m = expression.matcher(value == null ? "" : value);
                while (m.find()) {
                    known.add(m.group(1));
                }
            }
        }
        return known;
    }

    /** SmallRye Config's environment form: upper case, every other character an underscore. */
    private static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The port the service listens on outside tests, as application.properties declares it (tests take a free one). */
    private static int configuredHttpPort() {
        for (ConfigSource source : ConfigProvider.getConfig().getConfigSources()) {
            if (source.getName().contains("application.properties") && source.getValue("quarkus.http.port") != null) {
                return Integer.parseInt(source.getValue("quarkus.http.port"));
            }
        }
        throw new AssertionError("application.properties declares no quarkus.http.port");
    }

    private static JsonNode container() throws IOException {
        return yaml(KUBERNETES.resolve("deployment.yaml")).at("/spec/template/spec/containers/0");
    }

    private static JsonNode yaml(Path file) throws IOException {
        List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll();
        assertEquals(1, docs.size(), file + " holds one document");
        return docs.get(0);
    }

    private static List<String> dockerfileLines() throws IOException {
        return Files.readAllLines(DOCKERFILE).stream().map(String::strip).toList();
    }

    private static String dockerfileInstruction(String instruction) throws IOException {
        List<String> found = dockerfileLines().stream().filter(l -> l.startsWith(instruction + " "))
                .map(l -> l.substring(instruction.length() + 1).strip()).toList();
        assertEquals(1, found.size(), instruction + " once in the Dockerfile");
        return found.get(0);
    }

    private static String dockerfileEnv(String name) throws IOException {
        return dockerfileLines().stream().filter(l -> l.startsWith("ENV " + name + "="))
                .map(l -> l.substring(4)).findFirst().orElseThrow(() -> new AssertionError("no ENV " + name));
    }
}
