package io.ascall.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the project and its build outputs are: the packaged services, the classpath of the
 * Kafka broker and the unpacked Keycloak, with a clear hint about what to build when something is missing.
 */
public final class ProjectPaths {

    /** System property naming the project root; the root pom sets it for every test run. */
    public static final String ROOT_PROPERTY = "ascall.project.root";

    private static final String KAFKA_BROKER_MODULE = "deploy/local/kafka-broker";
    private static final String KEYCLOAK_MODULE = "deploy/local/keycloak";

    private final Path root;

    private ProjectPaths(Path root) {
        this.root = root;
    }

    /**
     * The project of this run: the folder named by {@value #ROOT_PROPERTY}, else the nearest
     * folder above the working directory that holds both {@code mvnw} and {@code deploy/local}.
     */
    public static ProjectPaths locate() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path root = Path.of(configured).toAbsolutePath().normalize();
            if (!isProjectRoot(root)) {
                throw new IllegalStateException("System property " + ROOT_PROPERTY + "=" + configured
                        + " does not name the project root (a folder holding mvnw and deploy/local)");
            }
            return new ProjectPaths(root);
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path candidate = start; candidate != null; candidate = candidate.getParent()) {
            if (isProjectRoot(candidate)) {
                return new ProjectPaths(candidate);
            }
        }
        throw new IllegalStateException("Cannot find the project root (a folder holding mvnw and deploy/local) above "
                + start + "; run from inside the project or set -D" + ROOT_PROPERTY + "=<project folder>");
    }

    /** The project rooted at {@code root}, which must hold {@code mvnw} and {@code deploy/local}. */
    public static ProjectPaths of(Path root) {
        Path normalized = root.toAbsolutePath().normalize();
        if (!isProjectRoot(normalized)) {
            throw new IllegalArgumentException(
                    root + " is not the project root (a folder holding mvnw and deploy/local)");
        }
        return new ProjectPaths(normalized);
    }

    private static boolean isProjectRoot(Path folder) {
        return Files.isRegularFile(folder.resolve("mvnw")) && Files.isDirectory(folder.resolve("deploy/local"));
    }

    public Path root() {
        return root;
    }

    /** Whether the module exists in this checkout (services are added over time). */
    public boolean hasModule(String module) {
        return Files.isRegularFile(root.resolve(module).resolve("pom.xml"));
    }

    /** Whether {@link #serviceJar(String)} would find the packaged service. */
    public boolean isPackaged(String module) {
        return Files.isRegularFile(serviceJarPath(module));
    }

    /**
     * The runnable jar of a packaged Quarkus service, {@code <root>/<module>/target/quarkus-app/quarkus-run.jar}.
     *
     * @throws IllegalStateException naming the build command when the service is not packaged
     */
    public Path serviceJar(String module) {
        Path jar = serviceJarPath(module);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(module + " is not packaged: " + jar + " does not exist. Run ./mvnw -B -pl "
                    + module + " -am package -DskipTests first (in " + root + ")");
        }
        return jar;
    }

    private Path serviceJarPath(String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Whether {@link #kafkaBrokerClasspath()} would find the built broker. */
    public boolean isKafkaBrokerBuilt() {
        try {
            kafkaBrokerClasspath();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * The classpath of the Kafka broker process: its jar and the dependencies copied to
     * {@code deploy/local/kafka-broker/target/lib}, exactly those the build lists in
     * {@code target/broker-classpath.txt} (lib/ may still hold jars of earlier versions).
     *
     * @throws IllegalStateException naming the build command when the broker module is not packaged
     */
    public String kafkaBrokerClasspath() {
        Path target = root.resolve(KAFKA_BROKER_MODULE).resolve("target");
        Path listing = target.resolve("broker-classpath.txt");
        Path jar = kafkaBrokerJar(target);
        String rebuild = " Run ./mvnw -B -pl " + KAFKA_BROKER_MODULE + " package first (in " + root + ")";
        if (jar == null || !Files.isRegularFile(listing)) {
            throw new IllegalStateException(
                    "The Kafka broker is not built: " + target + " has no jar or broker-classpath.txt." + rebuild);
        }
        List<String> entries = new ArrayList<>();
        entries.add(jar.toString());
        try {
            for (String entry : Files.readString(listing).trim().split(":")) {
                Path file = target.resolve(entry.trim());
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException(
                            "The Kafka broker is not completely built: " + file + " is missing." + rebuild);
                }
                entries.add(file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + listing, e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path kafkaBrokerJar(Path target) {
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> {
                        String name = file.getFileName().toString();
                        return name.startsWith("local-kafka-broker-")
                                && name.endsWith(".jar")
                                && !name.endsWith("-sources.jar")
                                && !name.endsWith("-tests.jar")
                                && !name.endsWith("-javadoc.jar");
                    })
                    .max(Comparator.naturalOrder())
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@link #keycloakHome()} would find the unpacked Keycloak. */
    public boolean isKeycloakBuilt() {
        return Files.isRegularFile(keycloakHomePath().resolve("bin/kc.sh"))
                && Files.isRegularFile(keycloakHomePath().resolve("lib/quarkus-run.jar"));
    }

    /**
     * The Keycloak distribution {@code deploy/local/keycloak} unpacks,
     * {@code target/keycloak-<}{@value LocalKeycloak#VERSION}{@code >}.
     *
     * @throws IllegalStateException naming the build command when it is not unpacked
     */
    public Path keycloakHome() {
        if (!isKeycloakBuilt()) {
            throw new IllegalStateException("Keycloak is not unpacked: " + keycloakHomePath()
                    + " has no bin/kc.sh or lib/quarkus-run.jar. Run ./mvnw -B -pl " + KEYCLOAK_MODULE
                    + " package first (in " + root + ")");
        }
        return keycloakHomePath();
    }

    /** The committed local realm, imported by every start of {@link LocalKeycloak}. */
    public Path keycloakRealmFile() {
        Path file = root.resolve(KEYCLOAK_MODULE).resolve("realm").resolve(LocalRealm.REALM + "-realm.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("The local realm " + file + " is missing");
        }
        return file;
    }

    private Path keycloakHomePath() {
        return root.resolve(KEYCLOAK_MODULE).resolve("target").resolve("keycloak-" + LocalKeycloak.VERSION);
    }

    /**
     * A folder for files a run creates (temporary data, logs of child processes): the build's
     * {@code target} folder of the working directory when there is one, so {@code mvn clean}
     * removes them, else {@code <java.io.tmpdir>/ascall}.
     */
    public static Path scratchDir() {
        Path target = Path.of("target").toAbsolutePath().normalize();
        Path dir = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"), "ascall");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }
}
