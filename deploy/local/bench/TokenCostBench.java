import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ascall.local.LocalKafka;
import io.ascall.local.LocalKeycloak;
import io.ascall.local.LocalPostgres;
import io.ascall.local.LocalRealm;
import io.ascall.local.ProjectPaths;
import io.ascall.local.ServiceProcess;

/**
 * What verifying tokens costs on the write path: {@code POST /calls} (call-service, which charges
 * the fee through payment-service) with tokens against without, in one run on this machine.
 *
 * <ul>
 * <li>without: call-service and payment-service as built from the last commit before identity and
 * access ({@code BASELINE}, checked out and packaged by deploy/local/bench/token-cost), where the
 * customer is a field of the body and nothing is verified;</li>
 * <li>with: the services as built from the working tree, each request carrying alice's access
 * token from the local Keycloak (verified by call-service: signature, issuer, audience, expiry),
 * and call-service charging with its own client-credentials token (verified by payment-service).</li>
 * </ul>
 *
 * <p>For each, hey sends {@code POST /calls} from {@value #CLIENTS} clients in windows of
 * {@link #WINDOW} until two windows agree on CPU per call and on calls/s within
 * {@value #AGREE_PERCENT}% (the JIT settles; at most {@value #MAX_WARM_UP_WINDOWS} windows), then
 * one measured window, flagged "NOT STEADY" when it is off the last warm-up window by more than
 * that (a plateau of the JIT or another load on the machine: run again). CPU is
 * utime + stime of each process from /proc over the window, divided by the calls created (201s).
 * The same PostgreSQL, Kafka and Keycloak serve both; each side gets fresh databases. Keycloak is
 * not counted: it signs one token per window for the load (hey sends the same one) and one for
 * call-service, which keeps its client-credentials token until it expires; what is measured is
 * what the services spend verifying. Not a test: it prints figures. Everything listens on 127.0.0.1 and is stopped at the end.
 */
public final class TokenCostBench {

    private static final String CLIENTS = "8";
    private static final Duration WINDOW = Duration.ofSeconds(20);
    private static final int MAX_WARM_UP_WINDOWS = 15;
    private static final int AGREE_PERCENT = 10;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** The heap a pod gets: quarkus.jib.jvm-additional-arguments (60%) of the 512Mi limit. */
    private static final String POD_HEAP = "-Xmx307m";
    /** The clock ticks of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final Pattern STATUS = Pattern.compile("^\\s*\\[(\\d{3})]\\s+(\\d+) responses", Pattern.MULTILINE);

    private final Path baselineRoot;
    private final Path workDir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private LocalKeycloak keycloak;

    private TokenCostBench(Path baselineRoot) {
        this.baselineRoot = baselineRoot;
        this.workDir = ProjectPaths.locate().root().resolve("target/bench/token-cost");
    }

    public static void main(String[] args) throws Exception {
        TokenCostBench bench = new TokenCostBench(Path.of(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll, "stop-bench"));
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
    }

    private void run() throws Exception {
        Files.createDirectories(workDir);
        System.out.println("Starting PostgreSQL, Kafka and Keycloak (deploy/local)...");
        postgres = LocalPostgres.start(null, 0);
        started.add(postgres);
        kafka = LocalKafka.start(null, 0, workDir.resolve("kafka.log"));
        started.add(kafka);
        keycloak = LocalKeycloak.start(0, 0, workDir.resolve("keycloak"));
        started.add(keycloak);

        Result without = measure("without tokens", "baseline", baselineRoot, Map.of(),
                () -> List.of(), "{\"customerId\":\"" + LocalRealm.ALICE.id() + "\",");
        Result with = measure("with tokens", "tokens", ProjectPaths.locate().root(),
                Map.of("quarkus.oidc.auth-server-url", keycloak.issuer()),
                () -> List.of("-H", "Authorization: Bearer " + keycloak.passwordGrant(LocalRealm.ALICE)), "{");

        System.out.println();
        System.out.println("POST /calls, hey -c " + CLIENTS + ", measured window " + WINDOW.toSeconds() + " s after warm-up:");
        System.out.println(without.describe());
        System.out.println(with.describe());
        System.out.printf(Locale.ROOT,
                "Verification costs %+.2f ms of CPU per call (call-service %+.2f, payment-service %+.2f): %.2fx;"
                        + " throughput %.2fx, p99 %.2fx%n",
                with.totalMillis() - without.totalMillis(),
                with.callMillis - without.callMillis,
                with.paymentMillis - without.paymentMillis,
                with.totalMillis() / without.totalMillis(),
                with.callsPerSecond / without.callsPerSecond,
                with.p99 / without.p99);
    }

    /** One side: its two services started, warmed up until two windows agree, then measured. */
    private Result measure(String name, String database, Path root, Map<String, String> identity,
            Supplier<List<String>> headers, String bodyStart) throws Exception {
        System.out.println("--- " + name + ": " + root);
        ServiceProcess payment = start(root, "payment-service", database + "_payment", identity);
        payment.awaitReady(READY_TIMEOUT);
        Map<String, String> callConfig = new LinkedHashMap<>(identity);
        callConfig.put("quarkus.rest-client.payment.url", payment.baseUri().toString());
        if (!identity.isEmpty()) {
            callConfig.put("quarkus.oidc-client.credentials.secret", LocalRealm.CALL_SERVICE_SECRET);
        }
        ServiceProcess call = start(root, "call-service", database + "_call", callConfig);
        call.awaitReady(READY_TIMEOUT);
        String body = bodyStart
                + "\"applianceType\":\"WASHER\",\"region\":\"bench-nobody\",\"address\":\"1 Bench-ro\"}";
        try {
            Result previous = null;
            for (int window = 1; window <= MAX_WARM_UP_WINDOWS; window++) {
                Result current = window(name, call, payment, headers.get(), body, false);
                System.out.println("  warm-up " + window + ": " + current.describe());
                if (previous != null && current.agreesWith(previous)) {
                    previous = current;
                    break;
                }
                previous = current;
            }
            Result measured = window(name, call, payment, headers.get(), body, true);
            System.out.println("  measured: " + measured.describe()
                    + (previous != null && measured.agreesWith(previous) ? "" : "  NOT STEADY"));
            return measured;
        } finally {
            call.close();
            payment.close();
        }
    }

    private Result window(String name, ServiceProcess call, ServiceProcess payment, List<String> headers, String body,
            boolean measured)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "hey", "-z", WINDOW.toSeconds() + "s", "-c", CLIENTS, "-t", "20", "-m", "POST",
                "-T", "application/json", "-d", body));
        command.addAll(headers);
        command.add(call.baseUri() + "/calls");
        long callBefore = cpuTicks(call.pid());
        long paymentBefore = cpuTicks(payment.pid());
        Path report = workDir.resolve("hey.txt");
        Process hey = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.toFile()).start();
        if (!hey.waitFor(WINDOW.toSeconds() + 60, TimeUnit.SECONDS)) {
            hey.destroyForcibly();
            throw new IllegalStateException("hey did not finish");
        }
        long callTicks = cpuTicks(call.pid()) - callBefore;
        long paymentTicks = cpuTicks(payment.pid()) - paymentBefore;
        String text = Files.readString(report);
        Map<String, Long> statuses = new LinkedHashMap<>();
        Matcher status = STATUS.matcher(text);
        while (status.find()) {
            statuses.put(status.group(1), Long.parseLong(status.group(2)));
        }
        long created = statuses.getOrDefault("201", 0L);
        // A cold payment-service misses call-service's charge timeout at first (503 payment-unavailable):
        // warm-up windows may hold such answers; the measured one must create a call with every request.
        if (created == 0 || (measured && statuses.size() != 1)) {
            throw new IllegalStateException(name + ": not every request created a call " + statuses + "\n" + text);
        }
        if (statuses.size() != 1) {
            System.out.println("  (warm-up answers " + statuses + ")");
        }
        return new Result(
                name,
                created / (double) WINDOW.toSeconds(),
                percentile(text, 50),
                percentile(text, 99),
                millisPer(callTicks, created),
                millisPer(paymentTicks, created));
    }

    private ServiceProcess start(Path root, String module, String database, Map<String, String> extra) {
        ServiceProcess service = ServiceProcess.forJar(root.resolve(module + "/target/quarkus-app/quarkus-run.jar"))
                .name(module)
                .jvmArg(POD_HEAP)
                .config(postgres.datasourceConfig(database))
                .config("kafka.bootstrap.servers", kafka.bootstrapServers())
                .config(extra)
                .logFile(workDir.resolve(database + ".log"))
                .start();
        started.add(service);
        return service;
    }

    private static double percentile(String report, int percent) {
        Matcher matcher = Pattern.compile("^\\s*" + percent + "%+ in ([0-9.]+) secs", Pattern.MULTILINE).matcher(report);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) * 1000 : Double.NaN;
    }

    private static double millisPer(long ticks, long calls) {
        return ticks / TICKS_PER_SECOND * 1000 / calls;
    }

    /** utime + stime of the process, all its threads (fields 14 and 15 of /proc/<pid>/stat). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private synchronized void stopAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("Could not stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }

    private record Result(String name, double callsPerSecond, double p50, double p99, double callMillis,
            double paymentMillis) {

        double totalMillis() {
            return callMillis + paymentMillis;
        }

        boolean agreesWith(Result other) {
            return Math.abs(totalMillis() - other.totalMillis()) <= other.totalMillis() * AGREE_PERCENT / 100.0
                    && Math.abs(callsPerSecond - other.callsPerSecond) <= other.callsPerSecond * AGREE_PERCENT / 100.0;
        }

        String describe() {
            return String.format(Locale.ROOT,
                    "%-14s %6.1f calls/s, p50 %6.1f ms, p99 %6.1f ms; CPU per call %5.2f ms"
                            + " (call-service %5.2f, payment-service %5.2f)",
                    name, callsPerSecond, p50, p99, totalMillis(), callMillis, paymentMillis);
        }
    }
}
