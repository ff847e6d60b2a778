package io.ascall.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole product on this machine, for {@code deploy/local/up}: Keycloak with the local realm,
 * PostgreSQL with one database per service, Kafka, and every packaged service, all on 127.0.0.1,
 * with data kept between runs in {@code ASCALL_HOME} (default {@code <project>/deploy/local/.data});
 * Keycloak keeps nothing, it imports the committed realm on every start.
 *
 * <p>Options: {@code --detach} (started in the background by {@code deploy/local/up --detach};
 * only changes how to stop it), {@code --missing-builds} (prints the modules to build first, one
 * per line, and exits).
 *
 * <p>Environment: {@code ASCALL_HOME}, {@code KEYCLOAK_PORT} (8180), {@code KEYCLOAK_MANAGEMENT_PORT}
 * (8190), {@code POSTGRES_PORT} (5433), {@code KAFKA_PORT} (9092) and each service's port variable
 * (see {@link LocalService#ALL}).
 *
 * <p>Stops on SIGINT/SIGTERM: services in reverse start order, then Kafka, PostgreSQL and Keycloak.
 */
public final class LocalSystem {

    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofMinutes(3);
    private static final String PID_FILE = "local-system.pid";
    private static final String LOCK_FILE = "local-system.lock";
    /** Written once everything is ready (it holds the summary); {@code deploy/local/up --detach} waits for it. */
    private static final String READY_FILE = "ready";

    private final ProjectPaths paths;
    private final Path home;
    private final int postgresPort;
    private final int kafkaPort;
    private final int keycloakPort;
    private final int keycloakManagementPort;
    private final Map<String, Integer> servicePorts;
    private final boolean detached;

    private final List<ServiceProcess> services = new ArrayList<>();
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private LocalKeycloak keycloak;
    private FileChannel lockChannel;
    private boolean stopping;

    private LocalSystem(
            ProjectPaths paths,
            Path home,
            int postgresPort,
            int kafkaPort,
            int keycloakPort,
            int keycloakManagementPort,
            Map<String, Integer> servicePorts,
            boolean detached) {
        this.paths = paths;
        this.home = home;
        this.postgresPort = postgresPort;
        this.kafkaPort = kafkaPort;
        this.keycloakPort = keycloakPort;
        this.keycloakManagementPort = keycloakManagementPort;
        this.servicePorts = servicePorts;
        this.detached = detached;
    }

    public static void main(String[] args) {
        boolean detached = false;
        boolean missingBuilds = false;
        for (String arg : args) {
            switch (arg) {
                case "--detach" -> detached = true;
                case "--missing-builds" -> missingBuilds = true;
                default -> {
                    System.err.println("Unknown option " + arg + " (known: --detach, --missing-builds)");
                    System.exit(2);
                }
            }
        }
        int exitCode;
        try {
            ProjectPaths paths = ProjectPaths.locate();
            if (missingBuilds) {
                missingBuilds(paths).forEach(System.out::println);
                return;
            }
            exitCode = fromEnvironment(paths, detached).run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** Modules to build before a run: packaged services that are missing, the Kafka broker and Keycloak. */
    static List<String> missingBuilds(ProjectPaths paths) {
        List<String> missing = new ArrayList<>();
        if (!paths.isKafkaBrokerBuilt()) {
            missing.add("deploy/local/kafka-broker");
        }
        if (!paths.isKeycloakBuilt()) {
            missing.add("deploy/local/keycloak");
        }
        for (LocalService service : LocalService.ALL) {
            if (paths.hasModule(service.module()) && !paths.isPackaged(service.module())) {
                missing.add(service.module());
            }
        }
        return missing;
    }

    private static LocalSystem fromEnvironment(ProjectPaths paths, boolean detached) {
        String homeVariable = System.getenv("ASCALL_HOME");
        Path home = (homeVariable == null || homeVariable.isBlank()
                        ? paths.root().resolve("deploy/local/.data")
                        : Path.of(homeVariable))
                .toAbsolutePath()
                .normalize();
        Map<String, Integer> servicePorts = new LinkedHashMap<>();
        for (LocalService service : LocalService.ALL) {
            servicePorts.put(service.module(), portFromEnvironment(service.portVariable(), service.defaultPort()));
        }
        return new LocalSystem(
                paths,
                home,
                portFromEnvironment("POSTGRES_PORT", 5433),
                portFromEnvironment("KAFKA_PORT", 9092),
                portFromEnvironment("KEYCLOAK_PORT", 8180),
                portFromEnvironment("KEYCLOAK_MANAGEMENT_PORT", 8190),
                servicePorts,
                detached);
    }

    private static int portFromEnvironment(String variable, int defaultPort) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + " must be a TCP port (1-65535), not \"" + value + "\"");
    }

    private int run() {
        try {
            Files.createDirectories(home.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + home.resolve("logs"), e);
        }
        if (!lock()) {
            System.err.println("A/S call is already running from " + home + runningPid()
                    + ". Stop it first with deploy/local/down (or Ctrl-C in its terminal).");
            return 2;
        }
        List<LocalService> present = LocalService.ALL.stream()
                .filter(service -> paths.hasModule(service.module()))
                .toList();
        Map<LocalService, Path> jars = new LinkedHashMap<>();
        try {
            // a run killed by SIGKILL leaves PostgreSQL running on our data and port (its services
            // and Kafka end by themselves); holding the lock, we know no other run owns it
            LocalPostgres.stopOrphan(home.resolve("postgres"));
            String problem = portProblems(present);
            if (problem != null) {
                System.err.println(problem);
                releaseLock();
                return 1;
            }
            // fails with the build command if something is not built, before anything starts
            present.forEach(service -> jars.put(service, paths.serviceJar(service.module())));
            paths.kafkaBrokerClasspath();
            paths.keycloakHome();
        } catch (RuntimeException e) {
            releaseLock();
            throw e;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "ascall-local-system-stop"));
        try {
            startAll(jars);
        } catch (RuntimeException e) {
            synchronized (this) {
                if (stopping) {
                    return 0; // Ctrl-C while starting: the shutdown hook is stopping everything
                }
            }
            System.err.println();
            System.err.println("A/S call did not start: " + e.getMessage());
            System.err.println("Stopping what was started...");
            shutdown();
            return 1;
        }
        String summary = summary(
                jars.keySet(),
                LocalService.ALL.stream().filter(s -> !present.contains(s)).toList());
        System.out.println(summary);
        writeReady(summary);
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void startAll(Map<LocalService, Path> jars) {
        // first: the services verify its tokens, and call-service takes its own from it
        System.out.println("Starting Keycloak on " + Ports.HOST + ":" + keycloakPort
                + " (the realm is imported anew; the first start after a build takes a minute)");
        register(LocalKeycloak.start(
                keycloakPort, keycloakManagementPort, home.resolve("keycloak"), home.resolve("logs/keycloak.log")));
        System.out.println("Starting PostgreSQL on " + Ports.HOST + ":" + postgresPort + " (data in "
                + home.resolve("postgres") + ")");
        register(LocalPostgres.start(home.resolve("postgres"), postgresPort, home.resolve("logs/postgres.log")));
        for (LocalService service : LocalService.ALL) {
            postgres.ensureDatabase(service.database());
        }
        System.out.println(
                "Starting Kafka on " + Ports.HOST + ":" + kafkaPort + " (data in " + home.resolve("kafka") + ")");
        register(LocalKafka.start(home.resolve("kafka"), kafkaPort, home.resolve("logs/kafka.log")));
        for (Map.Entry<LocalService, Path> entry : jars.entrySet()) {
            LocalService service = entry.getKey();
            int port = servicePorts.get(service.module());
            System.out.println("Starting " + service.module() + " on " + Ports.HOST + ":" + port);
            ServiceProcess process = register(ServiceProcess.forJar(entry.getValue())
                    .name(service.module())
                    .port(port)
                    .config(postgres.datasourceConfig(service.database()))
                    .config("kafka.bootstrap.servers", kafka.bootstrapServers())
                    .config("quarkus.oidc.auth-server-url", keycloak.issuer())
                    // no load balancer to drain from here: stop at once (Kubernetes keeps the delay)
                    .config("quarkus.shutdown.delay", "0s")
                    .config(service.extraConfig().apply(servicePorts))
                    .logFile(logFile(service))
                    .start());
            process.awaitReady(SERVICE_READY_TIMEOUT);
        }
    }

    private synchronized LocalPostgres register(LocalPostgres started) {
        postgres = started;
        abortIfStopping();
        return started;
    }

    private synchronized LocalKafka register(LocalKafka started) {
        kafka = started;
        abortIfStopping();
        return started;
    }

    private synchronized LocalKeycloak register(LocalKeycloak started) {
        keycloak = started;
        abortIfStopping();
        return started;
    }

    private synchronized ServiceProcess register(ServiceProcess started) {
        services.add(started);
        abortIfStopping();
        return started;
    }

    /** A Ctrl-C came while this was starting: the shutdown hook stops the part just started too. */
    private void abortIfStopping() {
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
    }

    /** Stops services (reverse start order), then Kafka, PostgreSQL and Keycloak; each cleanly. Runs once. */
    private void shutdown() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        deleteQuietly(home.resolve(READY_FILE));
        List<ServiceProcess> toStop;
        LocalKafka kafkaToStop;
        LocalPostgres postgresToStop;
        LocalKeycloak keycloakToStop;
        synchronized (this) {
            toStop = new ArrayList<>(services);
            kafkaToStop = kafka;
            postgresToStop = postgres;
            keycloakToStop = keycloak;
        }
        if (toStop.isEmpty() && kafkaToStop == null && postgresToStop == null && keycloakToStop == null) {
            releaseLock();
            return;
        }
        System.out.println();
        for (int i = toStop.size() - 1; i >= 0; i--) {
            System.out.println("Stopping " + toStop.get(i).name());
            toStop.get(i).stop();
        }
        if (kafkaToStop != null) {
            System.out.println("Stopping Kafka");
            kafkaToStop.close();
        }
        if (postgresToStop != null) {
            System.out.println("Stopping PostgreSQL");
            postgresToStop.close();
        }
        if (keycloakToStop != null) {
            System.out.println("Stopping Keycloak");
            keycloakToStop.close();
        }
        releaseLock();
        System.out.println("A/S call stopped. Data kept in " + home);
    }

    private boolean lock() {
        try {
            lockChannel =
                    FileChannel.open(home.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                lockChannel.close();
                return false;
            }
            Files.writeString(home.resolve(PID_FILE), ProcessHandle.current().pid() + System.lineSeparator());
            deleteQuietly(home.resolve(READY_FILE));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + home.resolve(LOCK_FILE), e);
        }
    }

    private void releaseLock() {
        deleteQuietly(home.resolve(PID_FILE));
        try {
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    private String runningPid() {
        try {
            return " (pid " + Files.readString(home.resolve(PID_FILE)).trim() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** All ports in use, in one message, before anything starts; {@code null} when all are free. */
    private String portProblems(List<LocalService> present) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("POSTGRES_PORT (PostgreSQL)", postgresPort);
        wanted.put("KAFKA_PORT (Kafka)", kafkaPort);
        wanted.put("KEYCLOAK_PORT (Keycloak)", keycloakPort);
        wanted.put("KEYCLOAK_MANAGEMENT_PORT (Keycloak's health)", keycloakManagementPort);
        for (LocalService service : present) {
            wanted.put(service.portVariable() + " (" + service.module() + ")", servicePorts.get(service.module()));
        }
        List<String> problems = new ArrayList<>();
        Map<Integer, String> seen = new LinkedHashMap<>();
        wanted.forEach((what, port) -> {
            String twice = seen.putIfAbsent(port, what);
            if (twice != null) {
                problems.add("  port " + port + " is given to both " + twice + " and " + what);
            } else if (!Ports.isFree(port)) {
                problems.add("  port " + port + " for " + what + " is already in use on " + Ports.HOST);
            }
        });
        if (problems.isEmpty()) {
            return null;
        }
        return "Cannot start A/S call:" + System.lineSeparator() + String.join(System.lineSeparator(), problems)
                + System.lineSeparator() + "Stop what uses them, or choose other ports, e.g. "
                + "PAYMENT_SERVICE_PORT=18083 KAFKA_PORT=19092 deploy/local/up";
    }

    private Path logFile(LocalService service) {
        return home.resolve("logs").resolve(service.module() + ".log");
    }

    private String summary(Iterable<LocalService> started, List<LocalService> absent) {
        String nl = System.lineSeparator();
        StringBuilder out =
                new StringBuilder(nl).append("A/S call is running.").append(nl).append(nl);
        out.append(String.format("  %-18s %-24s %-34s %s%n", "service", "URL", "OpenAPI", "log"));
        for (LocalService service : started) {
            String url = "http://" + Ports.HOST + ":" + servicePorts.get(service.module());
            out.append(String.format(
                    "  %-18s %-24s %-34s %s%n", service.module(), url, url + "/q/openapi", logFile(service)));
        }
        if (!absent.isEmpty()) {
            out.append("  (not in this checkout yet: ")
                    .append(absent.stream().map(LocalService::module).collect(Collectors.joining(", ")))
                    .append(")")
                    .append(nl);
        }
        out.append(nl);
        out.append("  PostgreSQL  ")
                .append(postgres.jdbcUrl("<database>"))
                .append("  user ")
                .append(postgres.username())
                .append(", password ")
                .append(postgres.password())
                .append(nl);
        out.append("              databases: ")
                .append(LocalService.ALL.stream().map(LocalService::database).collect(Collectors.joining(", ")))
                .append(nl);
        out.append("  Kafka       bootstrap servers ")
                .append(kafka.bootstrapServers())
                .append(nl);
        out.append("  Keycloak    ")
                .append(keycloak.url())
                .append("  admin console ")
                .append(keycloak.url())
                .append("/admin/  (")
                .append(LocalKeycloak.ADMIN_USERNAME)
                .append(" / ")
                .append(LocalKeycloak.ADMIN_PASSWORD)
                .append(")")
                .append(nl);
        out.append("              issuer ")
                .append(keycloak.issuer())
                .append("  (log ")
                .append(home.resolve("logs/keycloak.log"))
                .append(")")
                .append(nl);
        out.append("  Users       (username = password)").append(nl);
        for (LocalRealm.User user : LocalRealm.USERS) {
            out.append(String.format("              %-8s %-9s sub %s%n", user.username(), user.role(), user.id()));
        }
        out.append("              a token: curl -s -d grant_type=password -d client_id=")
                .append(LocalRealm.APP_CLIENT)
                .append(" -d username=alice -d password=alice ")
                .append(keycloak.tokenEndpoint())
                .append(nl);
        out.append("  Data        ")
                .append(home)
                .append("  (logs in ")
                .append(home.resolve("logs"))
                .append(")")
                .append(nl);
        out.append(nl)
                .append(detached ? "Stop with deploy/local/down." : "Ctrl-C to stop.")
                .append(nl);
        return out.toString();
    }

    private void writeReady(String summary) {
        Path ready = home.resolve(READY_FILE);
        try {
            Path temporary = Files.writeString(home.resolve(READY_FILE + ".tmp"), summary);
            // atomic: the script never reads a half-written summary
            Files.move(temporary, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + ready, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("[ascall] cannot delete " + file + ": " + e.getMessage());
        }
    }
}
