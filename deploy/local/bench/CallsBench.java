import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.ascall.local.LocalKafka;
import io.ascall.local.LocalKeycloak;
import io.ascall.local.LocalPostgres;
import io.ascall.local.LocalRealm;
import io.ascall.local.ProjectPaths;
import io.ascall.local.ServiceProcess;

/**
 * The whole saga at this machine's limit (issue 12, "The benchmark"): {@code POST /calls} with
 * customers' tokens, through call-service (which charges the fee through payment-service), its
 * outbox, Kafka and engineer-service, to the offer on the chosen engineer's live stream; with
 * call-view-service following every event.
 *
 * <ol>
 * <li>Starts Keycloak (the local realm), PostgreSQL, Kafka and the four packaged services
 * (copies made by deploy/local/bench/calls, so that a build running meanwhile cannot replace their
 * jars), all on 127.0.0.1 with data of this run only.</li>
 * <li>As an operator would: makes {@code ENGINEERS} engineer accounts in Keycloak (admin API),
 * registers and activates an engineer record for each, in a region of this run; each engineer's
 * stream is read with that engineer's own token (a fetch-style reader: one HTTP request with the
 * {@code Authorization} header, its body read line by line). Customers: alice, bob and as many
 * more accounts as {@code CUSTOMERS} asks for; every token is taken by password grant and cached.</li>
 * <li>Each engineer answers every offer as the app would: accepts it, then completes the repair
 * ({@code ANSWER=complete}, the default). Calls then reach their final state and engineers are
 * free again, so nothing waits to expire: with offers left unanswered, each expires after 2
 * minutes and is offered again to the next engineer, keeping the system busy for minutes after
 * the load and growing the open assignments every match counts. {@code ANSWER=accept} stops at
 * DISPATCHED, {@code ANSWER=none} leaves the offers (the protocol of the first figures).</li>
 * <li>Load, closed loop: {@code CONCURRENCY} requests in flight (java.net.http, asynchronous), each
 * with its own {@code Idempotency-Key}, as the app sends; windows of {@code WINDOW} seconds until
 * two consecutive windows agree within 10% in calls/s (at most {@code MAX_WARMUP}), then one
 * measured window of {@code MEASURE} seconds: calls/s (201s only), POST p50/p99, offer on the stream
 * p50/p99 (from the 201 to the {@code assignment-offered} event of that call), CPU per call of every
 * process (utime + stime from /proc; PostgreSQL is the postmaster with every backend, ended ones
 * included through its cutime/cstime), consumer lag of each group (committed offsets against the
 * log end) at the start and the end, the services' resident memory.</li>
 * <li>Open loop at half the sustained rate for {@code HALF} seconds: POST p50/p99, timed from the
 * moment each request was due (a late send counts against the system, not hidden).</li>
 * <li>Idle: {@code IDLE} seconds after the load, resident memory again, then after a full GC
 * ({@code jcmd <pid> GC.run}).</li>
 * <li>PostgreSQL's own ceiling in the same run: {@code PG_CLIENTS} JDBC clients inserting one row
 * per transaction into a scratch table of a scratch database for {@code PG_SECONDS} seconds
 * (pgbench's equivalent).</li>
 * </ol>
 *
 * <p>Prints progress, then one line of figures. The bench's own CPU (load, streams, answers) is
 * measured and reported apart; so is what other processes of the machine used meanwhile.
 * PostgreSQL runs on a data folder of this run as deploy/local/up runs it ({@code PG=up}:
 * synchronous_commit on; fsync is off all the same, zonky starts the server with {@code -F}), or as the
 * tests do ({@code PG=tests}: synchronous_commit and full page writes off too); the line says which
 * fsync and synchronous_commit it ran with. Services get the heap a pod
 * gets ({@code SERVICE_HEAP}, default -Xmx307m). Every loop is bounded in count and time; everything
 * started here is stopped at the end, on failure and on Ctrl-C (a shutdown hook; the services, Kafka
 * and Keycloak also end by themselves when this JVM dies). Not a test: it prints figures.
 */
public final class CallsBench {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration POST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int AGREE_PERCENT = 10;
    /** Requests the open loop keeps in flight at most; a request due beyond it is counted as not sent. */
    private static final int OPEN_LOOP_MAX_IN_FLIGHT = 512;
    /** The clock ticks of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final String[] MODULES = {"call-service", "engineer-service", "payment-service", "call-view-service"};
    private static final Map<String, String> SHORT = Map.of("call-service", "call", "engineer-service", "engineer",
            "payment-service", "payment", "call-view-service", "call-view");
    /** Each consumer group of the saga and the topics it reads (the services' application.properties). */
    private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("call-service", List.of("engineer-events", "payment-events"));
        GROUPS.put("engineer-service", List.of("call-events"));
        GROUPS.put("payment-service", List.of("call-events"));
        GROUPS.put("call-view-service", List.of("call-events", "payment-events", "engineer-events"));
    }

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern CALL_ID = Pattern.compile("\"callId\":\"([0-9a-f-]{36})\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    // --- settings (environment) ---
    private final int engineers = intEnv("ENGINEERS", 20);
    private final int concurrency = intEnv("CONCURRENCY", 8);
    private final int windowSeconds = intEnv("WINDOW", 20);
    private final int maxWarmUp = intEnv("MAX_WARMUP", 15);
    private final int measureSeconds = intEnv("MEASURE", 60);
    private final int halfSeconds = intEnv("HALF", 30);
    private final int idleSeconds = intEnv("IDLE", 30);
    private final int pgSeconds = intEnv("PG_SECONDS", 10);
    private final int pgClients = intEnv("PG_CLIENTS", 8);
    private final int customers = Math.max(1, intEnv("CUSTOMERS", 4));
    private final String answer = env("ANSWER", "complete");
    private final String serviceHeap = env("SERVICE_HEAP", "-Xmx307m");
    /** A JFR settings name (default, profile) to record each service over the measured window, or empty for none. */
    private final String jfrSettings = env("JFR", "");
    /** "up": PostgreSQL on a data folder, as deploy/local/up runs it; "tests": a temporary one, as the tests (durability off). */
    private final boolean durablePostgres = !"tests".equals(env("PG", "up"));
    private final Duration timeLimit = Duration.ofSeconds(
            600 + (long) (maxWarmUp + 1) * windowSeconds + measureSeconds + halfSeconds + idleSeconds + pgSeconds + 300);

    private final Path workDir = ProjectPaths.locate().root().resolve("target/bench/calls");
    private final Path apps = Optional.ofNullable(System.getProperty("bench.apps")).map(Path::of).orElse(null);
    private final String region = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final HttpClient setupHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private LocalPostgres postgres;
    private Path postgresData;
    private LocalKafka kafka;
    private LocalKeycloak keycloak;
    private Admin admin;
    private long readyAt;
    private volatile boolean stopping;

    private final List<Engineer> engineerList = new ArrayList<>();
    private final List<LocalRealm.User> customerList = new ArrayList<>();
    private Offers offers;
    private Load load;

    public static void main(String[] args) {
        CallsBench bench = new CallsBench();
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll, "bench-stop"));
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(bench.timeLimit.toMillis());
                System.err.println("The benchmark did not finish within " + bench.timeLimit.toMinutes()
                        + " minutes: stopping everything");
                System.exit(3);
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "bench-time-limit");
        watchdog.setDaemon(true);
        watchdog.start();
        int exitCode = 0;
        try {
            bench.run();
        } catch (Exception e) {
            if (!bench.stopping) {
                System.err.println("The benchmark could not run: " + e);
                e.printStackTrace();
            }
            exitCode = 2;
        }
        watchdog.interrupt();
        bench.stopAll();
        System.exit(exitCode);
    }

    private void run() throws Exception {
        Files.createDirectories(workDir);
        // the logs are appended to: only this run's, so that the ERROR lines counted are this run's
        for (Path log : List.of(workDir.resolve("postgres.log"), workDir.resolve("kafka.log"), workDir.resolve("keycloak/keycloak.log"))) {
            Files.deleteIfExists(log);
        }
        for (String module : MODULES) {
            Files.deleteIfExists(workDir.resolve(module + ".log"));
        }
        warnAboutOtherRuns();
        startSystem();
        setUpAccounts();
        openStreams();
        load = new Load();

        // --- warm-up: windows until two agree ---
        System.out.printf(Locale.ROOT, "Load: closed loop, %d in flight, windows of %d s until two agree within %d%% (at most %d)%n",
                concurrency, windowSeconds, AGREE_PERCENT, maxWarmUp);
        long loadStart = load.startClosedLoop(concurrency);
        Window previous = null;
        long steadyFrom = -1;
        int warmUpWindows = 0;
        Window done = null;
        for (int i = 1; i <= maxWarmUp; i++) {
            sleepUntil(load.window.start + TimeUnit.SECONDS.toNanos(windowSeconds));
            done = load.switchTo(new Window("warm-up " + (i + 1)));
            warmUpWindows = i;
            System.out.println("  warm-up " + i + ": " + done.describe());
            if (agree(previous, done)) {
                steadyFrom = previous.start;
                break;
            }
            previous = done;
        }
        lastWarmUp = done;
        if (steadyFrom < 0) {
            System.out.println("  no two consecutive windows agreed within " + AGREE_PERCENT + "%: measuring anyway");
        }
        // the window begun meanwhile is dropped: the measured one starts with its own counters and samples
        Map<String, Long> lagStart = lag();
        Samples before = Samples.take(this);
        Window measure = new Window("measure");
        load.switchTo(measure);
        System.out.printf("Measuring %d s at full rate...%n", measureSeconds);
        if (!jfrSettings.isBlank()) {
            recordFlight();
        }
        sleepUntil(measure.start + TimeUnit.SECONDS.toNanos(measureSeconds));
        Samples after = Samples.take(this);
        load.switchTo(new Window("after"));
        Map<String, Long> lagEnd = lag();
        Map<String, Long> rssLoad = rss();
        System.out.println("  measured: " + measure.describe());
        load.stop();
        load.awaitIdle(DRAIN_TIMEOUT);
        offers.awaitAll(DRAIN_TIMEOUT);
        long missingAfterFull = offers.missing();

        // --- half rate, open loop ---
        double sustained = measure.rate();
        Window half = null;
        double halfRate = sustained / 2;
        if (halfRate >= 0.5 && halfSeconds > 0) {
            System.out.printf(Locale.ROOT, "Open loop at half the sustained rate, %.1f calls/s, for %d s...%n", halfRate, halfSeconds);
            half = new Window("half rate");
            load.runOpenLoop(half, halfRate, Duration.ofSeconds(halfSeconds));
            load.awaitIdle(DRAIN_TIMEOUT);
            System.out.println("  half rate: " + half.describe());
        }
        offers.awaitAll(DRAIN_TIMEOUT);
        offers.awaitAnswers(DRAIN_TIMEOUT);

        // --- idle memory ---
        System.out.printf("Idle for %d s, then resident memory, then again after a full GC (jcmd GC.run)...%n", idleSeconds);
        Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
        Map<String, Long> rssIdle = rss();
        for (ServiceProcess service : services.values()) {
            jcmd(service.pid(), "GC.run");
        }
        Thread.sleep(2000);
        Map<String, Long> rssGc = rss();

        // --- PostgreSQL's ceiling ---
        System.out.printf("PostgreSQL insert ceiling: %d clients, one row per transaction, %d s...%n", pgClients, pgSeconds);
        PgCeiling ceiling = pgCeiling();
        System.out.printf(Locale.ROOT, "  %.0f tx/s (fsync %s, synchronous_commit %s)%n", ceiling.txPerSecond, ceiling.fsync,
                ceiling.synchronousCommit);

        long deadLetters = deadLetters();
        Map<String, Long> logErrors = logErrors();
        printDetails(measure, before, after, lagStart, lagEnd);
        String line = summary(measure, half, halfRate, before, after, lagStart, lagEnd, rssLoad, rssIdle, rssGc, loadStart,
                steadyFrom, warmUpWindows, ceiling, missingAfterFull, deadLetters, logErrors);
        System.out.println();
        System.out.println(line);
        Files.writeString(workDir.resolve("last-line.txt"), line + System.lineSeparator());
    }

    /** The last warm-up window: the measured one should agree with it, or the line says NOT STEADY. */
    private Window lastWarmUp;

    private static boolean agree(Window a, Window b) {
        if (a == null || a.created.sum() == 0 || b.created.sum() == 0) {
            return false;
        }
        return Math.abs(a.rate() - b.rate()) <= a.rate() * AGREE_PERCENT / 100.0;
    }

    // --- the system ---

    private void warnAboutOtherRuns() {
        Path pidFile = ProjectPaths.locate().root().resolve("deploy/local/.data/local-system.pid");
        try {
            if (Files.isRegularFile(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    System.out.println("Note: deploy/local/up is running (pid " + pid + "); this bench starts a system of"
                            + " its own on free ports, and what the other one uses meanwhile shows as 'others' in the figures.");
                }
            }
        } catch (IOException | NumberFormatException e) {
            // nothing running that we know of
        }
        // data folders of runs that were killed: deleted unless their PostgreSQL still runs on them
        try (Stream<Path> old = Files.list(workDir)) {
            for (Path folder : old.filter(p -> p.getFileName().toString().startsWith("postgres-")).toList()) {
                Path pid = folder.resolve("postmaster.pid");
                boolean running = false;
                if (Files.isRegularFile(pid)) {
                    try {
                        long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).trim());
                        running = ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false);
                    } catch (RuntimeException e) {
                        running = false;
                    }
                }
                if (running) {
                    System.out.println("Note: a PostgreSQL left by a killed run still runs on " + folder
                            + " (kill its postmaster to free it; its CPU shows as 'others')");
                } else if (Files.isDirectory(folder)) {
                    deleteRecursively(folder);
                }
            }
        } catch (IOException e) {
            // only housekeeping
        }
    }

    private void startSystem() throws Exception {
        System.out.println("Starting PostgreSQL (" + (durablePostgres ? "as deploy/local/up runs it" : "as the tests run it")
                + "), Kafka and Keycloak (deploy/local, data of this run only)...");
        if (durablePostgres) {
            postgresData = workDir.resolve("postgres-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()));
            postgres = LocalPostgres.start(postgresData, 0, workDir.resolve("postgres.log"));
        } else {
            postgres = LocalPostgres.start(null, 0);
        }
        started.add(postgres);
        kafka = LocalKafka.start(null, 0, workDir.resolve("kafka.log"));
        started.add(kafka);
        keycloak = LocalKeycloak.start(0, 0, workDir.resolve("keycloak"));
        started.add(keycloak);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));

        System.out.println("Starting payment-service, engineer-service, call-view-service, then call-service ("
                + (serviceHeap.isBlank() ? "default heap" : serviceHeap) + ")...");
        long starting = System.nanoTime();
        ServiceProcess payment = start("payment-service", "payment", Map.of());
        ServiceProcess engineer = start("engineer-service", "engineer", Map.of());
        ServiceProcess callView = start("call-view-service", "callview", Map.of());
        payment.awaitReady(READY_TIMEOUT);
        ServiceProcess call = start("call-service", "call", Map.of(
                "quarkus.rest-client.payment.url", payment.baseUri().toString(),
                "quarkus.oidc-client.credentials.secret", LocalRealm.CALL_SERVICE_SECRET));
        engineer.awaitReady(READY_TIMEOUT);
        callView.awaitReady(READY_TIMEOUT);
        call.awaitReady(READY_TIMEOUT);
        readyAt = System.nanoTime();
        System.out.printf("All four services ready %.1f s after their start (logs in %s)%n", (readyAt - starting) / 1e9, workDir);
    }

    private ServiceProcess start(String module, String database, Map<String, String> extra) {
        Path jar = apps != null ? apps.resolve(module).resolve("quarkus-run.jar") : ProjectPaths.locate().serviceJar(module);
        ServiceProcess.Builder builder = ServiceProcess.forJar(jar)
                .name(module)
                .config(postgres.datasourceConfig(database))
                .config("kafka.bootstrap.servers", kafka.bootstrapServers())
                .config("quarkus.oidc.auth-server-url", keycloak.issuer())
                .config("quarkus.shutdown.delay", "0s")
                .config(extra)
                .logFile(workDir.resolve(module + ".log"));
        for (String option : serviceHeap.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                builder.jvmArg(option);
            }
        }
        if (!jfrSettings.isBlank()) {
            // JFR's first recording instruments JDK classes (sockets, files) and so throws away
            // compiled code that inlined them: started only for the measured window, it cost one run
            // a JIT storm (JIT 46-60 ms per call, breaker opened by timeouts, 3.6 calls/s against 19).
            // A recording from the start with the same settings pays that during the start-up; the
            // measured window's own recording then changes no instrumentation.
            builder.jvmArg("-XX:StartFlightRecording=name=boot,settings=" + jfrSettings + ",maxage=1m");
        }
        ServiceProcess service = builder.start();
        started.add(service);
        services.put(module, service);
        return service;
    }

    private ServiceProcess service(String module) {
        return services.get(module);
    }

    private synchronized void stopAll() {
        if (stopping && started.isEmpty()) {
            return;
        }
        stopping = true;
        if (load != null) {
            load.stop();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        List<AutoCloseable> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        // services first (reverse start order), then Keycloak, Kafka, PostgreSQL
        Collections.reverse(toStop);
        for (AutoCloseable closeable : toStop) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("Could not stop " + closeable + ": " + e);
            }
        }
        if (postgresData != null) {
            deleteRecursively(postgresData);
            postgresData = null;
        }
    }

    // --- accounts, engineers, streams ---

    private void setUpAccounts() throws Exception {
        System.out.printf("Making %d engineer accounts in Keycloak, registering an engineer record for each (region %s)...%n",
                engineers, region);
        String operator = keycloak.passwordGrant(LocalRealm.OLIVIA);
        for (int i = 1; i <= engineers; i++) {
            LocalRealm.User user = newUser("bench-engineer-" + i, "engineer");
            String body = "{\"name\":\"Bench Engineer " + i + "\",\"region\":\"" + region
                    + "\",\"skills\":[\"WASHER\"],\"accountId\":\"" + user.id() + "\"}";
            HttpResponse<String> created = setupHttp.send(json(service("engineer-service").baseUri().resolve("/engineers"), operator)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            expect(created, 201, "POST /engineers");
            String id = JSON.readTree(created.body()).path("id").asText();
            // registered active; activating is idempotent, and an operator onboarding an engineer may do both
            HttpResponse<String> activated = setupHttp.send(json(service("engineer-service").baseUri()
                    .resolve("/engineers/" + id + "/activate"), operator).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            expect(activated, 200, "POST /engineers/{id}/activate");
            engineerList.add(new Engineer(id, user));
        }
        customerList.add(LocalRealm.ALICE);
        if (customers > 1) {
            customerList.add(LocalRealm.BOB);
        }
        for (int i = 3; i <= customers; i++) {
            customerList.add(newUser("bench-customer-" + i, "customer"));
        }
        for (LocalRealm.User customer : customerList) {
            keycloak.passwordGrant(customer.username(), customer.password());
        }
        System.out.println("Customers: " + customerList.stream().map(LocalRealm.User::username).collect(Collectors.joining(", "))
                + "; engineers answer offers: " + answer);
    }

    /** A user of the realm with a full profile and one realm role, as an operator onboards one (Keycloak's admin API). */
    private LocalRealm.User newUser(String prefix, String role) throws Exception {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        String adminToken = keycloak.adminToken();
        String body = JSON.writeValueAsString(Map.of(
                "username", username, "enabled", true, "emailVerified", true,
                "firstName", "Bench", "lastName", username, "email", username + "@bench.example",
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
        URI users = URI.create(keycloak.url() + "/admin/realms/" + LocalRealm.REALM + "/users");
        HttpResponse<String> created = setupHttp.send(json(users, adminToken).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        expect(created, 201, "Keycloak: create user");
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        HttpResponse<String> roleAnswer = setupHttp.send(json(URI.create(keycloak.url() + "/admin/realms/" + LocalRealm.REALM
                + "/roles/" + role), adminToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        expect(roleAnswer, 200, "Keycloak: role " + role);
        HttpResponse<String> mapped = setupHttp.send(json(URI.create(users + "/" + id + "/role-mappings/realm"), adminToken)
                .POST(HttpRequest.BodyPublishers.ofString("[" + roleAnswer.body() + "]")).build(), HttpResponse.BodyHandlers.ofString());
        expect(mapped, 204, "Keycloak: role mapping");
        return new LocalRealm.User(username, password, id, role);
    }

    private void openStreams() throws InterruptedException {
        offers = new Offers();
        CountDownLatch opened = new CountDownLatch(engineerList.size());
        for (Engineer engineer : engineerList) {
            Thread reader = new Thread(() -> readStream(engineer, opened), "stream-" + engineer.id.substring(0, 8));
            reader.setDaemon(true);
            reader.start();
        }
        if (!opened.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Not every engineer's stream opened within 60 s (" + opened.getCount() + " missing)");
        }
        System.out.printf("%d engineers' streams open, each with the engineer's own token%n", engineerList.size());
    }

    /** One engineer's stream, as the console reads it: a request with the token, its body line by line; reconnects with Last-Event-ID. */
    private void readStream(Engineer engineer, CountDownLatch opened) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String lastEventId = null;
        boolean first = true;
        while (!stopping) {
            HttpRequest.Builder request = HttpRequest.newBuilder(service("engineer-service").baseUri()
                            .resolve("/engineers/" + engineer.id + "/assignments/stream"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + keycloak.passwordGrant(engineer.user.username(), engineer.user.password()));
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<Stream<String>> response = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    offers.streamErrors.computeIfAbsent("stream " + response.statusCode(), k -> new LongAdder()).increment();
                    response.body().close();
                    Thread.sleep(1000);
                    continue;
                }
                String event = null;
                try (Stream<String> lines = response.body()) {
                    for (String line : (Iterable<String>) lines::iterator) {
                        if (line.startsWith("id:")) {
                            lastEventId = line.substring(3).trim();
                        } else if (line.startsWith("event:")) {
                            event = line.substring(6).trim();
                            if (first && event.equals("stream-opened")) {
                                first = false;
                                opened.countDown();
                            }
                        } else if (line.startsWith("data:") && "assignment-offered".equals(event)) {
                            offers.offered(engineer, line, System.nanoTime());
                        }
                    }
                }
            } catch (IOException e) {
                // the stream ended: reconnect below, unless stopping
            } catch (InterruptedException e) {
                return;
            }
            if (!stopping) {
                offers.reconnects.increment();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    private record Engineer(String id, LocalRealm.User user) {}

    /** Offers seen on the streams, matched with the 201s by call id; answers the engineers send. */
    private final class Offers {

        /** By call id: the window whose 201 it was and when, or (offer first) when the offer came. */
        final ConcurrentHashMap<String, long[]> waiting = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Window> windowOf = new ConcurrentHashMap<>();
        final Set<String> offeredCalls = ConcurrentHashMap.newKeySet();
        final LongAdder offersSeen = new LongAdder();
        final LongAdder reOffers = new LongAdder();
        final LongAdder reconnects = new LongAdder();
        final ConcurrentHashMap<String, LongAdder> streamErrors = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> answerStatuses = new ConcurrentHashMap<>();
        final AtomicInteger answersInFlight = new AtomicInteger();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newSingleThreadExecutor(daemon("answers")))
                .connectTimeout(Duration.ofSeconds(5)).build();
        /** A 201 for the call, answered at {@code at}, counted in {@code window}. */
        void created(String callId, Window window, long at) {
            long[] mine = {at, 0};
            long[] other = waiting.putIfAbsent(callId, mine);
            if (other == null) {
                windowOf.put(callId, window);
            } else {
                // its offer came before this thread saw the 201
                waiting.remove(callId);
                window.offerLatencies.add(Math.max(0, other[1] - at));
            }
        }

        void offered(Engineer engineer, String data, long at) {
            offersSeen.increment();
            Matcher call = CALL_ID.matcher(data);
            Matcher assignment = ID.matcher(data);
            if (!call.find() || !assignment.find()) {
                streamErrors.computeIfAbsent("unreadable offer", k -> new LongAdder()).increment();
                return;
            }
            String callId = call.group(1);
            if (!offeredCalls.add(callId)) {
                reOffers.increment();
            } else {
                long[] mine = {0, at};
                long[] other = waiting.putIfAbsent(callId, mine);
                if (other != null) {
                    waiting.remove(callId);
                    Window window = windowOf.remove(callId);
                    if (window != null) {
                        window.offerLatencies.add(at - other[0]);
                    }
                }
            }
            answer(engineer, assignment.group(1));
        }

        private void answer(Engineer engineer, String assignmentId) {
            if (answer.equals("none")) {
                return;
            }
            answersInFlight.incrementAndGet();
            send(engineer, assignmentId, "accept")
                    .thenCompose(accepted -> accepted == 200 && answer.equals("complete")
                            ? send(engineer, assignmentId, "complete")
                            : CompletableFuture.completedFuture(accepted))
                    .whenComplete((status, failure) -> answersInFlight.decrementAndGet());
        }

        private CompletableFuture<Integer> send(Engineer engineer, String assignmentId, String step) {
            HttpRequest request = HttpRequest.newBuilder(service("engineer-service").baseUri()
                            .resolve("/assignments/" + assignmentId + "/" + step))
                    .timeout(POST_TIMEOUT)
                    .header("Authorization", "Bearer " + keycloak.passwordGrant(engineer.user.username(), engineer.user.password()))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
                String key = step + " " + (failure != null ? rootCause(failure) : Integer.toString(response.statusCode()));
                answerStatuses.computeIfAbsent(key, k -> new LongAdder()).increment();
                return failure != null ? -1 : response.statusCode();
            });
        }

        /** 201s whose offer has not been seen. */
        long missing() {
            return waiting.values().stream().filter(entry -> entry[0] != 0).count();
        }

        void awaitAll(Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            while (missing() > 0 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
        }

        void awaitAnswers(Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            while (answersInFlight.get() > 0 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
        }
    }

    // --- load ---

    /** What one window saw: 201s, POST latencies, offer latencies, errors by status. */
    private static final class Window {
        final String name;
        final long start = System.nanoTime();
        volatile long end;
        final LongAdder sent = new LongAdder();
        final LongAdder created = new LongAdder();
        final Longs postLatencies = new Longs();
        final Longs offerLatencies = new Longs();
        final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();

        Window(String name) {
            this.name = name;
        }

        double seconds() {
            return ((end == 0 ? System.nanoTime() : end) - start) / 1e9;
        }

        double rate() {
            return created.sum() / seconds();
        }

        String errorsText() {
            if (errors.isEmpty()) {
                return "none";
            }
            return new TreeMap<>(errors).entrySet().stream().map(e -> e.getKey() + "×" + e.getValue().sum())
                    .collect(Collectors.joining(" "));
        }

        String describe() {
            return String.format(Locale.ROOT,
                    "%6.1f calls/s (%d created of %d sent in %.1f s), POST p50 %s p99 %s ms, offer p50 %s p99 %s ms (%d so far), errors %s",
                    rate(), created.sum(), sent.sum(), seconds(), ms(postLatencies.percentile(50)), ms(postLatencies.percentile(99)),
                    ms(offerLatencies.percentile(50)), ms(offerLatencies.percentile(99)), offerLatencies.size(), errorsText());
        }
    }

    /** The load generator: POST /calls from java.net.http, asynchronous, on one thread of its own. */
    private final class Load {

        final ExecutorService executor = Executors.newSingleThreadExecutor(daemon("load"));
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
        final URI calls = service("call-service").baseUri().resolve("/calls");
        final String body = "{\"applianceType\":\"WASHER\",\"region\":\"" + region
                + "\",\"address\":\"1 Bench-ro, Gangnam-gu\",\"description\":\"benchmark: drum does not spin\"}";
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong sequence = new AtomicLong();
        /** 201s per second since the load started, for the first 30 s. */
        final AtomicIntegerArray perSecond = new AtomicIntegerArray(7200);
        volatile Window window = new Window("warm-up 1");
        volatile boolean closedLoop;
        volatile boolean openLoop;
        long startedAt;

        long startClosedLoop(int clients) {
            startedAt = System.nanoTime();
            window = new Window("warm-up 1");
            closedLoop = true;
            for (int i = 0; i < clients; i++) {
                executor.execute(() -> send(0));
            }
            return startedAt;
        }

        /** Makes {@code next} the window new answers count in; returns the one it ends. */
        Window switchTo(Window next) {
            Window done = window;
            done.end = System.nanoTime();
            window = next;
            return done;
        }

        void stop() {
            closedLoop = false;
            openLoop = false;
        }

        /** @param due when the request was due (open loop), 0 to time it from its send (closed loop) */
        void send(long due) {
            LocalRealm.User user = customerList.get((int) (sequence.getAndIncrement() % customerList.size()));
            HttpRequest request = HttpRequest.newBuilder(calls)
                    .timeout(POST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + keycloak.passwordGrant(user.username(), user.password()))
                    .header("Idempotency-Key", randomUuid())
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            long sent = due != 0 ? due : System.nanoTime();
            inFlight.incrementAndGet();
            window.sent.increment();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                long at = System.nanoTime();
                inFlight.decrementAndGet();
                Window current = window;
                if (failure != null) {
                    current.errors.computeIfAbsent(rootCause(failure), k -> new LongAdder()).increment();
                } else if (response.statusCode() == 201) {
                    current.created.increment();
                    current.postLatencies.add(at - sent);
                    int second = (int) ((at - startedAt) / 1_000_000_000L);
                    if (second < perSecond.length()) {
                        perSecond.incrementAndGet(second);
                    }
                    Matcher id = ID.matcher(response.body());
                    if (id.find()) {
                        offers.created(id.group(1), current, at);
                    } else {
                        current.errors.computeIfAbsent("201 without id", k -> new LongAdder()).increment();
                    }
                } else {
                    current.errors.computeIfAbsent(statusAndProblem(response), k -> new LongAdder()).increment();
                }
                if (closedLoop && due == 0) {
                    send(0);
                }
            });
        }

        /** Sends at a fixed rate for the duration, whatever the answers (requests beyond the in-flight cap are counted, not sent). */
        void runOpenLoop(Window into, double rate, Duration duration) {
            window = into;
            openLoop = true;
            long period = (long) (1e9 / rate);
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            for (long i = 0; openLoop; i++) {
                long due = start + i * period;
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (inFlight.get() >= OPEN_LOOP_MAX_IN_FLIGHT) {
                    into.errors.computeIfAbsent("not sent (" + OPEN_LOOP_MAX_IN_FLIGHT + " in flight)", k -> new LongAdder()).increment();
                    continue;
                }
                executor.execute(() -> send(due));
            }
            openLoop = false;
            into.end = System.nanoTime();
        }

        void awaitIdle(Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        }

        int firstSeconds(int seconds) {
            int sum = 0;
            for (int i = 0; i < seconds && i < perSecond.length(); i++) {
                sum += perSecond.get(i);
            }
            return sum;
        }
    }

    /** A growable list of longs, appended to from several threads. */
    private static final class Longs {
        private long[] values = new long[1024];
        private int size;

        synchronized void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        synchronized double percentile(int percent) {
            if (size == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int index = (int) Math.ceil(percent / 100.0 * size) - 1;
            return sorted[Math.max(0, index)] / 1e6;
        }

        synchronized int size() {
            return size;
        }
    }

    // --- measurements ---

    /**
     * JFR on every service for the measured window: target/bench/calls/<service>.jfr (the recording
     * costs a little CPU itself; the services record from their start too, see {@link #start}).
     */
    private void recordFlight() throws IOException, InterruptedException {
        for (Map.Entry<String, ServiceProcess> service : services.entrySet()) {
            Path recording = workDir.resolve(service.getKey() + ".jfr");
            Files.deleteIfExists(recording);
            jcmd(service.getValue().pid(), "JFR.start", "name=bench", "settings=" + jfrSettings, "duration=" + measureSeconds + "s",
                    "filename=" + recording);
        }
        System.out.println("  recording JFR (" + jfrSettings + ") of each service into " + workDir + "/<service>.jfr");
    }

    /** CPU ticks of every process of the system, of this bench and of the whole machine, at one moment. */
    private record Samples(long at, Map<String, Long> ticks, Map<String, Map<String, Long>> threads, long bench, long machineBusy) {

        static Samples take(CallsBench bench) throws IOException {
            Map<String, Long> ticks = new LinkedHashMap<>();
            Map<String, Map<String, Long>> threads = new LinkedHashMap<>();
            for (String module : MODULES) {
                long pid = bench.service(module).pid();
                ticks.put(SHORT.get(module), cpuTicks(pid));
                threads.put(SHORT.get(module), threadKindTicks(pid));
            }
            ticks.put("kafka", descendants("io.ascall.local.kafka.KafkaBrokerMain").stream().mapToLong(CallsBench::cpuTicksOrZero).sum());
            ticks.put("postgres", bench.postgresTicks());
            ticks.put("keycloak", descendants("keycloak-" + LocalKeycloak.VERSION).stream().mapToLong(CallsBench::cpuTicksOrZero).sum());
            return new Samples(System.nanoTime(), ticks, threads, cpuTicks(ProcessHandle.current().pid()), machineBusyTicks());
        }
    }

    /** The postmaster (with its ended children, cutime/cstime) and every live backend. */
    private long postgresTicks() throws IOException {
        Path pidFile = postgres.dataDir().resolve("postmaster.pid");
        long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        long[] own = stat(postmaster);
        long sum = own[0] + own[1] + own[2] + own[3];
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    long pid = Long.parseLong(process.getFileName().toString());
                    long[] fields = stat(pid);
                    if (fields[4] == postmaster) {
                        sum += fields[0] + fields[1];
                    }
                } catch (IOException | RuntimeException e) {
                    // ended meanwhile: its time is in the postmaster's cutime/cstime now
                }
            }
        }
        return sum;
    }

    /** Processes started (directly or not) by this JVM whose command line contains the text. */
    private static List<Long> descendants(String text) {
        return ProcessHandle.current().descendants()
                .filter(handle -> {
                    try {
                        String cmdline = Files.readString(Path.of("/proc/" + handle.pid() + "/cmdline"), StandardCharsets.ISO_8859_1);
                        return cmdline.contains(text);
                    } catch (IOException e) {
                        return false;
                    }
                })
                .map(ProcessHandle::pid)
                .toList();
    }

    /**
     * utime + stime of a JVM's live threads by kind ({@link #threadKind}), from /proc/<pid>/task: where a
     * service's CPU goes (the event loops' work, the JIT compiling, the GC, the Kafka clients). A thread
     * that ended within the window is missing (its time is in the process's total only).
     */
    private static Map<String, Long> threadKindTicks(long pid) throws IOException {
        Map<String, Long> kinds = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    kinds.merge(threadKind(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return kinds;
    }

    /** The kind of a JVM thread from its name as the kernel keeps it (the first 15 characters). */
    static String threadKind(String name) {
        if (name.startsWith("vert.x-eventloo")) {
            return "event loop";
        }
        if (name.startsWith("C2 CompilerThre") || name.startsWith("C1 CompilerThre") || name.equals("Sweeper thread")) {
            return "JIT";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return "GC and VM";
        }
        if (name.startsWith("kafka-") || name.startsWith("smallrye-kafka")) {
            return "Kafka clients";
        }
        if (name.startsWith("executor-thread") || name.startsWith("vert.x-worker")) {
            return "worker";
        }
        return "other";
    }

    /** utime + stime of the process (all its threads). */
    private static long cpuTicks(long pid) throws IOException {
        long[] fields = stat(pid);
        return fields[0] + fields[1];
    }

    private static long cpuTicksOrZero(long pid) {
        try {
            return cpuTicks(pid);
        } catch (IOException e) {
            return 0;
        }
    }

    /** utime, stime, cutime, cstime, ppid of /proc/<pid>/stat. */
    private static long[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
            Long.parseLong(fields[14]), Long.parseLong(fields[1])};
    }

    /** Busy ticks of the whole machine (all cores) from /proc/stat: everything but idle and iowait. */
    private static long machineBusyTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(cpu[i]);
            }
        }
        return busy;
    }

    private Map<String, Long> rss() throws IOException {
        Map<String, Long> rss = new LinkedHashMap<>();
        for (String module : MODULES) {
            for (String line : Files.readAllLines(Path.of("/proc/" + service(module).pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss.put(SHORT.get(module), Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                }
            }
        }
        return rss;
    }

    /** Consumer lag of each group: the log end offsets of its topics' partitions minus its committed offsets. */
    private Map<String, Long> lag() {
        Map<String, Long> lags = new LinkedHashMap<>();
        try {
            Set<String> topics = GROUPS.values().stream().flatMap(List::stream).collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new LinkedHashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            for (Map.Entry<String, List<String>> group : GROUPS.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.getKey())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                long lag = 0;
                for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                    if (group.getValue().contains(end.getKey().topic())) {
                        OffsetAndMetadata offset = committed.get(end.getKey());
                        lag += end.getValue() - (offset == null ? 0 : offset.offset());
                    }
                }
                lags.put(SHORT.get(group.getKey()), lag);
            }
        } catch (Exception e) {
            System.out.println("  (consumer lag not read: " + e + ")");
        }
        return lags;
    }

    /** Records in the dead-letter topics (<service>.dlq), all of them. */
    private long deadLetters() {
        try {
            Set<String> dlqs = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                    .filter(name -> name.endsWith(".dlq")).collect(Collectors.toSet());
            if (dlqs.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(dlqs).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Lines of each service's log that report an ERROR (or worse). */
    private Map<String, Long> logErrors() {
        Map<String, Long> errors = new LinkedHashMap<>();
        for (String module : MODULES) {
            try (Stream<String> lines = Files.lines(workDir.resolve(module + ".log"), StandardCharsets.ISO_8859_1)) {
                errors.put(SHORT.get(module), lines.filter(l -> l.contains(" ERROR ") || l.contains(" FATAL ")).count());
            } catch (IOException | RuntimeException e) {
                errors.put(SHORT.get(module), -1L);
            }
        }
        return errors;
    }

    private record PgCeiling(double txPerSecond, String fsync, String synchronousCommit, long failures) {}

    /** pgbench's equivalent: single-row INSERT transactions from several clients into a scratch table. */
    private PgCeiling pgCeiling() throws Exception {
        String database = "bench_scratch";
        postgres.ensureDatabase(database);
        String url = postgres.jdbcUrl(database);
        String fsync;
        String synchronousCommit;
        try (Connection connection = DriverManager.getConnection(url, postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS scratch");
            statement.execute("CREATE TABLE scratch (id bigserial PRIMARY KEY, client int NOT NULL, payload text NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now())");
            fsync = show(statement, "fsync");
            synchronousCommit = show(statement, "synchronous_commit");
        }
        LongAdder done = new LongAdder();
        LongAdder failures = new LongAdder();
        CountDownLatch ready = new CountDownLatch(pgClients);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < pgClients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try (Connection connection = DriverManager.getConnection(url, postgres.username(), postgres.password());
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO scratch (client, payload) VALUES (?, ?)")) {
                    connection.setAutoCommit(true);
                    ready.countDown();
                    go.await();
                    while (System.nanoTime() < window[1]) {
                        insert.setInt(1, client);
                        insert.setString(2, "benchmark row");
                        try {
                            insert.executeUpdate();
                            done.increment();
                        } catch (SQLException e) {
                            failures.increment();
                        }
                    }
                } catch (SQLException | InterruptedException e) {
                    failures.increment();
                    ready.countDown();
                }
            }, "pg-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await(30, TimeUnit.SECONDS);
        window[0] = System.nanoTime();
        window[1] = window[0] + TimeUnit.SECONDS.toNanos(pgSeconds);
        go.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(pgSeconds + 30));
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
        } catch (SQLException e) {
            // a scratch database of this run's PostgreSQL: gone with it anyway
        }
        return new PgCeiling(done.sum() / seconds, fsync, synchronousCommit, failures.sum());
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }

    // --- reporting ---

    private void printDetails(Window measure, Samples before, Samples after, Map<String, Long> lagStart, Map<String, Long> lagEnd) {
        long created = measure.created.sum();
        double seconds = (after.at - before.at) / 1e9;
        System.out.println();
        System.out.printf(Locale.ROOT, "Measured window: %d calls in %.1f s; CPU per call (ms) and share of the window (cores):%n",
                created, seconds);
        long all = 0;
        for (Map.Entry<String, Long> entry : after.ticks.entrySet()) {
            long ticks = entry.getValue() - before.ticks.get(entry.getKey());
            all += ticks;
            System.out.printf(Locale.ROOT, "  %-10s %7.2f ms/call  %5.2f cores%n", entry.getKey(), perCall(ticks, created),
                    ticks / TICKS_PER_SECOND / seconds);
        }
        long bench = after.bench - before.bench;
        long machine = after.machineBusy - before.machineBusy;
        System.out.printf(Locale.ROOT, "  %-10s %7.2f ms/call  %5.2f cores%n", "all", perCall(all, created), all / TICKS_PER_SECOND / seconds);
        System.out.printf(Locale.ROOT, "  %-10s %7.2f ms/call  %5.2f cores (load generator, %d streams, answers: not in 'all')%n", "bench",
                perCall(bench, created), bench / TICKS_PER_SECOND / seconds, engineerList.size());
        System.out.printf(Locale.ROOT, "  %-10s %19s %5.2f cores (other processes of this machine)%n", "others", "",
                Math.max(0, machine - all - bench) / TICKS_PER_SECOND / seconds);
        System.out.println("CPU per call (ms) of each service's threads by kind (live threads, from /proc/<pid>/task):");
        for (Map.Entry<String, Map<String, Long>> service : after.threads.entrySet()) {
            Map<String, Long> start = before.threads.getOrDefault(service.getKey(), Map.of());
            StringBuilder kinds = new StringBuilder();
            service.getValue().entrySet().stream()
                    .map(kind -> Map.entry(kind.getKey(), kind.getValue() - start.getOrDefault(kind.getKey(), 0L)))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(kind -> kinds.append(String.format(Locale.ROOT, "  %s %.1f", kind.getKey(), perCall(kind.getValue(), created))));
            System.out.printf(Locale.ROOT, "  %-10s%s%n", service.getKey(), kinds);
        }
        System.out.println("Consumer lag (records; committed offsets, which the consumers commit every 5 s) at start → end: "
                + lagText(lagStart, lagEnd));
        System.out.printf("Offers: %d seen in all, %d offered again, stream reconnects %d%s; answers %s%n", offers.offersSeen.sum(),
                offers.reOffers.sum(), offers.reconnects.sum(), offers.streamErrors.isEmpty() ? "" : ", stream errors " + offers.streamErrors,
                new TreeMap<>(offers.answerStatuses));
    }

    private String summary(Window measure, Window half, double halfRate, Samples before, Samples after, Map<String, Long> lagStart,
            Map<String, Long> lagEnd, Map<String, Long> rssLoad, Map<String, Long> rssIdle, Map<String, Long> rssGc, long loadStart,
            long steadyFrom, int warmUpWindows, PgCeiling ceiling, long missingAfterFull, long deadLetters, Map<String, Long> logErrors)
            throws IOException {
        long created = measure.created.sum();
        double seconds = (after.at - before.at) / 1e9;
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "calls: %.1f/s sustained (c=%d, %d s, %d engineers, answer %s)", measure.rate(),
                concurrency, Math.round(measure.seconds()), engineerList.size(), answer));
        if (!agree(lastWarmUp, measure)) {
            // a plateau of the JIT, or another load on the machine: run again
            line.append(String.format(Locale.ROOT, " NOT STEADY (last warm-up window %.1f/s)", lastWarmUp == null ? 0 : lastWarmUp.rate()));
        }
        line.append(String.format(Locale.ROOT, " | POST p50 %s p99 %s ms (full)", ms(measure.postLatencies.percentile(50)),
                ms(measure.postLatencies.percentile(99))));
        if (half != null) {
            line.append(String.format(Locale.ROOT, ", p50 %s p99 %s ms (half: open loop at %.1f/s, %d of %d created)",
                    ms(half.postLatencies.percentile(50)), ms(half.postLatencies.percentile(99)), halfRate, half.created.sum(),
                    half.sent.sum()));
        } else {
            line.append(", half rate not measured");
        }
        line.append(String.format(Locale.ROOT, " | offer p50 %s p99 %s ms (%d of %d; %d without offer after %d s)",
                ms(measure.offerLatencies.percentile(50)), ms(measure.offerLatencies.percentile(99)), measure.offerLatencies.size(),
                created, missingAfterFull, DRAIN_TIMEOUT.toSeconds()));
        line.append(" | CPU ms/call");
        long all = 0;
        for (Map.Entry<String, Long> entry : after.ticks.entrySet()) {
            long ticks = entry.getValue() - before.ticks.get(entry.getKey());
            all += ticks;
            line.append(String.format(Locale.ROOT, " %s %.1f", entry.getKey(), perCall(ticks, created)));
        }
        long bench = after.bench - before.bench;
        long others = Math.max(0, (after.machineBusy - before.machineBusy) - all - bench);
        line.append(String.format(Locale.ROOT, " all %.1f (bench %.1f apart)", perCall(all, created), perCall(bench, created)));
        line.append(" | lag start→end ").append(lagText(lagStart, lagEnd));
        line.append(" | RSS MB load/idle/after GC");
        for (String name : rssLoad.keySet()) {
            line.append(' ').append(name).append(' ').append(rssLoad.get(name)).append('/').append(rssIdle.get(name)).append('/')
                    .append(rssGc.get(name));
        }
        int first30 = load.firstSeconds(30);
        line.append(" | ready→steady ");
        if (steadyFrom > 0) {
            line.append(String.format(Locale.ROOT, "%.0f s", (steadyFrom - readyAt) / 1e9));
        } else {
            line.append("not steady after ").append(warmUpWindows).append(" windows");
        }
        line.append(String.format(Locale.ROOT, " (load from %.0f s), first 30 s at %.0f%%", (loadStart - readyAt) / 1e9,
                measure.rate() > 0 ? first30 / 30.0 / measure.rate() * 100 : Double.NaN));
        line.append(String.format(Locale.ROOT, " | pg insert ceiling %.1fk tx/s (c=%d, fsync %s, synchronous_commit %s%s)",
                ceiling.txPerSecond / 1000, pgClients, ceiling.fsync, ceiling.synchronousCommit,
                ceiling.failures > 0 ? ", " + ceiling.failures + " failed" : ""));
        line.append(" | errors ").append(measure.errorsText());
        if (half != null && !half.errors.isEmpty()) {
            line.append(" (half: ").append(half.errorsText()).append(')');
        }
        List<String> answerErrors = offers.answerStatuses.entrySet().stream().filter(e -> !e.getKey().endsWith(" 200"))
                .map(e -> e.getKey() + "×" + e.getValue().sum()).sorted().toList();
        if (!answerErrors.isEmpty()) {
            line.append(", answers ").append(String.join(" ", answerErrors));
        }
        line.append(", dead letters ").append(deadLetters);
        line.append(", log ERROR lines ").append(logErrors.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(" ")));
        line.append(String.format(Locale.ROOT, " | machine: %d cores %s, JDK %s, services %s, others used %.2f cores meanwhile",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                serviceHeap.isBlank() ? "default heap" : serviceHeap, others / TICKS_PER_SECOND / seconds));
        return line.toString();
    }

    private static String lagText(Map<String, Long> start, Map<String, Long> end) {
        return end.keySet().stream().map(name -> name + " " + start.getOrDefault(name, -1L) + "→" + end.get(name))
                .collect(Collectors.joining(" "));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " ")).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static double perCall(long ticks, long calls) {
        return calls == 0 ? Double.NaN : ticks / TICKS_PER_SECOND * 1000 / calls;
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis)
                : String.format(Locale.ROOT, "%.1f", millis);
    }

    // --- small helpers ---

    private static HttpRequest.Builder json(URI uri, String token) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\":\"urn:ascall:problem:([a-z-]+)\"");

    /** "503 payment-unavailable": the status with the problem's type, when the body is one of ours. */
    private static String statusAndProblem(HttpResponse<String> response) {
        Matcher type = PROBLEM_TYPE.matcher(response.body() == null ? "" : response.body());
        return response.statusCode() + (type.find() ? " " + type.group(1) : "");
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    /** A random (version 4) UUID without SecureRandom: the key only has to be unique, and the load generator cheap. */
    private static String randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> arguments = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        arguments.addAll(List.of(command));
        Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("Could not delete " + folder + ": " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int intEnv(String name, int fallback) {
        String value = env(name, Integer.toString(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not \"" + value + "\"");
        }
    }
}
