import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ascall.local.LocalKafka;
import io.ascall.local.LocalKeycloak;
import io.ascall.local.LocalPostgres;
import io.ascall.local.LocalRealm;
import io.ascall.local.ProjectPaths;
import io.ascall.local.ServiceProcess;

/**
 * Proves that restarting the services one instance at a time loses no request: a real
 * PostgreSQL and Kafka (deploy/local), two instances each of payment-service and call-service,
 * HAProxy in front with the gateway's routes and health checks on /q/health/ready (as a
 * Kubernetes Service follows readiness); then, under a steady load from hey, each instance is
 * stopped with SIGTERM and started again, one after the other, each time waiting until the
 * gateway sends it requests again. Every request must succeed: GET /calls 200, POST /calls 201
 * (which charges through payment-service, reached through HAProxy's mesh frontend as through the
 * Kubernetes Service in the mesh). Requests carry a customer's token from the local Keycloak, and
 * call-service charges with its own client-credentials token, as in production.
 *
 * <p>Run by deploy/local/zero-downtime-check (which installs haproxy and hey and builds what is
 * missing). Everything listens on 127.0.0.1; the load is bounded in rate and time; everything
 * started here is stopped at the end, and a JVM that dies takes its services with it.
 *
 * <p>Exit code 0 when no request failed, 1 when one did, 2 when the check could not run.
 */
public final class ZeroDowntimeCheck {

    private static final String HOST = "127.0.0.1";
    /** What each instance gets to start (and migrate), on a busy 2-core machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Read load: 4 clients x 12 requests/s. */
    private static final String READ_CLIENTS = "4";
    private static final String READ_RATE = "12";
    /** Write load (each POST also charges through payment-service): 2 clients x 4 requests/s. */
    private static final String WRITE_CLIENTS = "2";
    private static final String WRITE_RATE = "4";
    /** hey stops by itself after this even if this program could not stop it. */
    private static final String LOAD_TIME_LIMIT = "300s";
    /** Steady load before the first restart and after the last one. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /** The heap a pod gets: quarkus.jib.jvm-additional-arguments (60%) of the 512Mi limit. */
    private static final String HEAP = "-Xmx307m";
    private static final String CALL_BODY = "{\"applianceType\":\"WASHER\","
            + "\"region\":\"seoul-gangnam\",\"address\":\"1 Teheran-ro\",\"description\":\"restart check\"}";
    private static final Pattern STATUS_LINE = Pattern.compile("^\\s*\\[(\\d{3})]\\s+(\\d+) responses", Pattern.MULTILINE);
    private static final Pattern ERROR_LINE = Pattern.compile("^\\s*\\[(\\d+)]\\s+(.*)$", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path workDir;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<Process> tools = new ArrayList<>();
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private LocalKeycloak keycloak;
    private int statsPort;

    private ZeroDowntimeCheck(Path workDir) {
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        Path workDir = ProjectPaths.locate().root().resolve("target/zero-downtime");
        Files.createDirectories(workDir);
        // the logs and reports of this run only
        try (var old = Files.newDirectoryStream(workDir, "*.{log,txt}")) {
            for (Path file : old) {
                Files.delete(file);
            }
        }
        ZeroDowntimeCheck check = new ZeroDowntimeCheck(workDir);
        Runtime.getRuntime().addShutdownHook(new Thread(check::stopAll, "zero-downtime-stop"));
        int exitCode;
        try {
            exitCode = check.run();
        } catch (IllegalStateException | IOException e) {
            System.err.println("The zero-downtime check could not run: " + e.getMessage());
            exitCode = 2;
        }
        check.stopAll();
        System.exit(exitCode);
    }

    private int run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        System.out.println("Starting PostgreSQL, Kafka and Keycloak (deploy/local)...");
        postgres = LocalPostgres.start(null, 0);
        kafka = LocalKafka.start(null, 0, null);
        keycloak = LocalKeycloak.start(0, 0, workDir.resolve("keycloak"));
        // a customer's token, good for 15 minutes: longer than the load runs
        String customerToken = keycloak.passwordGrant(LocalRealm.ALICE);

        int gatewayPort = freePort();
        int meshPort = freePort();
        statsPort = freePort();
        String gateway = "http://" + HOST + ":" + gatewayPort;
        String mesh = "http://" + HOST + ":" + meshPort;

        System.out.println("Starting payment-service x2 and call-service x2...");
        ServiceProcess payment1 = startService("payment-service", 1, postgres.datasourceConfig("payment"), Map.of());
        ServiceProcess payment2 = startService("payment-service", 2, postgres.datasourceConfig("payment"), Map.of());
        // call-service reaches payment-service through HAProxy's mesh frontend (never the public
        // one), as it reaches the payment-service Service in the mesh.
        // Its 2 s charge timeout becomes 5 s: this machine's cores are shared with four JVMs, the
        // database, the broker and the load, and a just-restarted JVM's first charges can take
        // longer than 2 s; what is checked is that restarts lose no request, not latency here.
        Map<String, String> callConfig = Map.of("quarkus.rest-client.payment.url", mesh,
                "quarkus.oidc-client.credentials.secret", LocalRealm.CALL_SERVICE_SECRET,
                "quarkus.fault-tolerance.\"io.ascall.call.client.FeeCollector/collect\".timeout.value", "5000");
        ServiceProcess call1 = startService("call-service", 1, postgres.datasourceConfig("call"), callConfig);
        ServiceProcess call2 = startService("call-service", 2, postgres.datasourceConfig("call"), callConfig);
        for (ServiceProcess service : services) {
            service.awaitReady(READY_TIMEOUT);
        }

        Map<String, String> gatewayEnvironment = new LinkedHashMap<>();
        gatewayEnvironment.put("GATEWAY_BIND", HOST + ":" + gatewayPort);
        gatewayEnvironment.put("GATEWAY_STATS_BIND", HOST + ":" + statsPort);
        gatewayEnvironment.put("MESH_BIND", HOST + ":" + meshPort);
        gatewayEnvironment.put("PAYMENT_SERVICE_1", address(payment1));
        gatewayEnvironment.put("PAYMENT_SERVICE_2", address(payment2));
        gatewayEnvironment.put("CALL_SERVICE_1", address(call1));
        gatewayEnvironment.put("CALL_SERVICE_2", address(call2));
        Path haproxyConfig = ProjectPaths.locate().root().resolve("deploy/local/gateway/haproxy.cfg");
        System.out.println("Starting HAProxy on " + gateway + " (deploy/local/gateway/haproxy.cfg)...");
        startTool("haproxy", gatewayEnvironment, "haproxy", "-f", haproxyConfig.toString());
        for (String server : List.of("payment-service-1", "payment-service-2", "call-service-1", "call-service-2")) {
            awaitGatewayStatus(server, "UP", Duration.ofSeconds(30));
        }

        warmUp(gateway, customerToken);

        System.out.printf("Load: GET /calls %s clients x %s/s, POST /calls %s clients x %s/s (hey, at most %s)%n",
                READ_CLIENTS, READ_RATE, WRITE_CLIENTS, WRITE_RATE, LOAD_TIME_LIMIT);
        Path readReport = workDir.resolve("hey-get.txt");
        Path writeReport = workDir.resolve("hey-post.txt");
        String authorization = "Authorization: Bearer " + customerToken;
        Process reads = startLoad(readReport, "-c", READ_CLIENTS, "-q", READ_RATE, "-H", authorization,
                gateway + "/calls?size=5");
        Process writes = startLoad(writeReport, "-c", WRITE_CLIENTS, "-q", WRITE_RATE, "-H", authorization,
                "-m", "POST", "-T", "application/json", "-d", CALL_BODY, gateway + "/calls");
        Thread.sleep(SETTLE.toMillis());

        Map<String, ServiceProcess> restartOrder = new LinkedHashMap<>();
        restartOrder.put("call-service-1", call1);
        restartOrder.put("call-service-2", call2);
        restartOrder.put("payment-service-1", payment1);
        restartOrder.put("payment-service-2", payment2);
        for (Map.Entry<String, ServiceProcess> entry : restartOrder.entrySet()) {
            restart(entry.getKey(), entry.getValue());
        }
        Thread.sleep(SETTLE.toMillis());

        stopLoad(reads);
        stopLoad(writes);
        Map<String, Long> memory = new LinkedHashMap<>();
        for (ServiceProcess service : services) {
            memory.put(service.name(), residentMegabytes(service.pid()));
        }
        LoadResult read = LoadResult.parse("GET /calls", Files.readString(readReport), 200);
        LoadResult write = LoadResult.parse("POST /calls", Files.readString(writeReport), 201);

        System.out.println();
        System.out.println("Zero-downtime check: 4 instances restarted one after the other under load");
        System.out.println(read.describe());
        System.out.println(write.describe());
        System.out.print("Resident memory after the run (heap " + HEAP.substring(4) + "):");
        memory.forEach((name, megabytes) -> System.out.print(" " + name + " " + megabytes + " MB;"));
        System.out.println();
        System.out.printf("Took %d s in all (hey reports: %s, %s)%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), readReport, writeReport);
        boolean passed = read.passed() && write.passed();
        System.out.println(passed ? "PASSED: no request failed." : "FAILED: some requests failed (see above).");
        return passed ? 0 : 1;
    }

    /**
     * One call to read back, charged through the whole chain. Cold JVMs may miss call-service's
     * 2 s payment timeout on the very first charge (and its breaker then waits 5 s): retried
     * here, before the measured load starts.
     */
    private static void warmUp(String gateway, String customerToken) throws IOException, InterruptedException {
        HttpRequest post = HttpRequest.newBuilder(URI.create(gateway + "/calls"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + customerToken)
                .POST(HttpRequest.BodyPublishers.ofString(CALL_BODY))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> answer;
        do {
            answer = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 201) {
                return;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("POST /calls through the gateway still answers " + answer.statusCode() + ": " + answer.body());
    }

    private ServiceProcess startService(String module, int instance, Map<String, String> datasource, Map<String, String> extra) {
        String name = module + "-" + instance;
        ServiceProcess service = ServiceProcess.forModule(module)
                .name(name)
                .jvmArg(HEAP)
                .config(datasource)
                .config("kafka.bootstrap.servers", kafka.bootstrapServers())
                .config("quarkus.oidc.auth-server-url", keycloak.issuer())
                .config(extra)
                .logFile(workDir.resolve(name + ".log"))
                .start();
        services.add(service);
        return service;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static String address(ServiceProcess service) {
        return HOST + ":" + service.port();
    }

    /** SIGTERM, wait until it has stopped, start it again, wait until the gateway routes to it again. */
    private void restart(String server, ServiceProcess service) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        System.out.printf("  %-18s SIGTERM ...", server);
        service.stop();
        long stopped = System.nanoTime();
        service.restart();
        service.awaitReady(READY_TIMEOUT);
        long ready = System.nanoTime();
        awaitGatewayStatus(server, "UP", Duration.ofSeconds(30));
        long routed = System.nanoTime();
        System.out.printf(" stopped after %.1f s, ready %.1f s later, back in the gateway %.1f s later%n",
                seconds(stopped - begin), seconds(ready - stopped), seconds(routed - ready));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private void awaitGatewayStatus(String server, String status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://" + HOST + ":" + statsPort + "/stats;csv")).build(),
                        HttpResponse.BodyHandlers.ofString());
                for (String line : stats.body().split("\n")) {
                    String[] fields = line.split(",", -1);
                    // fields: proxy name, server name, ..., status (the 18th)
                    if (fields.length > 17 && fields[1].equals(server)) {
                        last = fields[17];
                        if (last.equals(status)) {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("HAProxy did not report " + server + " " + status + " within "
                + timeout.toSeconds() + " s (last: " + last + "); see " + workDir.resolve("haproxy.log"));
    }

    private Process startLoad(Path report, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("hey", "-z", LOAD_TIME_LIMIT, "-t", "20"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(report.toFile())
                .start();
        tools.add(process);
        return process;
    }

    /** hey prints its report when interrupted (SIGINT), as after Ctrl-C. */
    private static void stopLoad(Process load) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(load.pid())).inheritIO().start().waitFor();
        if (!load.waitFor(30, TimeUnit.SECONDS)) {
            load.destroyForcibly();
            throw new IllegalStateException("hey did not stop after SIGINT");
        }
    }

    private void startTool(String name, Map<String, String> environment, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        tools.add(builder.start());
    }

    private static long residentMegabytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // reported as -1
        }
        return -1;
    }

    /** Stops everything this check started, the load first, PostgreSQL last; each step even if another failed. */
    private synchronized void stopAll() {
        for (Process tool : tools) {
            tool.destroy();
        }
        for (Process tool : tools) {
            quietly("stopping " + tool.info().command().orElse("a tool"), () -> {
                if (!tool.waitFor(10, TimeUnit.SECONDS)) {
                    tool.destroyForcibly();
                }
            });
        }
        tools.clear();
        for (int i = services.size() - 1; i >= 0; i--) {
            ServiceProcess service = services.get(i);
            quietly("stopping " + service.name(), service::stop);
        }
        services.clear();
        if (keycloak != null) {
            quietly("stopping Keycloak", keycloak::close);
            keycloak = null;
        }
        if (kafka != null) {
            quietly("stopping Kafka", kafka::close);
            kafka = null;
        }
        if (postgres != null) {
            quietly("stopping PostgreSQL", postgres::close);
            postgres = null;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception | LinkageError e) {
            System.err.println("[zero-downtime] " + what + " failed: " + e);
        }
    }

    /** What hey reported for one kind of request. */
    private record LoadResult(String what, int expectedStatus, Map<Integer, Long> statuses, Map<String, Long> errors,
                              String requestsPerSecond, String slowest) {

        static LoadResult parse(String what, String report, int expectedStatus) {
            Map<Integer, Long> statuses = new LinkedHashMap<>();
            Map<String, Long> errors = new LinkedHashMap<>();
            int statusStart = report.indexOf("Status code distribution:");
            int errorStart = report.indexOf("Error distribution:");
            if (statusStart < 0) {
                throw new IllegalStateException("hey's report for " + what + " has no status codes:\n" + report);
            }
            String statusPart = report.substring(statusStart, errorStart > statusStart ? errorStart : report.length());
            Matcher status = STATUS_LINE.matcher(statusPart);
            while (status.find()) {
                statuses.put(Integer.parseInt(status.group(1)), Long.parseLong(status.group(2)));
            }
            if (errorStart >= 0) {
                Matcher error = ERROR_LINE.matcher(report.substring(errorStart));
                while (error.find()) {
                    errors.put(error.group(2).trim(), Long.parseLong(error.group(1)));
                }
            }
            return new LoadResult(what, expectedStatus, statuses, errors, field(report, "Requests/sec:"), field(report, "Slowest:"));
        }

        private static String field(String report, String label) {
            Matcher matcher = Pattern.compile(Pattern.quote(label) + "\\s*(\\S+)").matcher(report);
            return matcher.find() ? matcher.group(1) : "?";
        }

        long total() {
            return statuses.values().stream().mapToLong(Long::longValue).sum()
                    + errors.values().stream().mapToLong(Long::longValue).sum();
        }

        long failed() {
            return total() - statuses.getOrDefault(expectedStatus, 0L);
        }

        boolean passed() {
            return total() > 0 && failed() == 0;
        }

        String describe() {
            StringBuilder out = new StringBuilder(String.format("  %-11s %6d requests, %d failed (%s req/s, slowest %s s); statuses %s",
                    what, total(), failed(), requestsPerSecond, slowest, statuses));
            errors.forEach((message, count) -> out.append(String.format("%n      error x%d: %s", count, message)));
            return out.toString();
        }
    }
}
