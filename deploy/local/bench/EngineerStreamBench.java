import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * Figures of the engineers' live stream (GET /engineers/{id}/assignments/stream), on this machine:
 *
 * <ol>
 * <li>the delay from {@code POST /calls} (call-service, which charges the fee through
 * payment-service) to the offer on the engineer's stream (engineer-service, after CallPaid went
 * through Kafka), over a few hundred calls made one after the other: p50, p90, p99, max;</li>
 * <li>how many idle streams one engineer-service holds (with the heap a pod gets) and the memory
 * each costs: N streams opened from one client, the service's resident memory and live heap
 * (after a full GC) before and after; then, with them open, that heartbeats reach them all and
 * an offer still reaches its stream at once.</li>
 * </ol>
 *
 * <p>Run by deploy/local/bench/engineer-stream, which builds what is missing. PostgreSQL, Kafka and Keycloak
 * come from deploy/local (temporary data), the services are the packaged ones, everything listens
 * on 127.0.0.1, every loop is bounded in count and time, and everything started here is stopped
 * at the end (a JVM that dies takes its services with it). Not a test: it prints figures.
 */
public final class EngineerStreamBench {

    private static final String HOST = "127.0.0.1";
    /** The heap a pod gets: quarkus.jib.jvm-additional-arguments (60%) of the 512Mi limit. */
    private static final String POD_HEAP = "-Xmx307m";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration TIME_LIMIT = Duration.ofMinutes(15);
    private static final Duration OFFER_TIMEOUT = Duration.ofSeconds(30);
    /** Connections being opened at once: more would overflow the server's accept queue and wait for SYN retries. */
    private static final int CONNECTING_AT_ONCE = 256;
    private static final Pattern CALL_ID = Pattern.compile("\"callId\":\"([0-9a-f-]{36})\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The local Keycloak: alice's token asks for the calls, and the streams are read with the
     * operator's (who may read any engineer's), so that thousands of engineers need no accounts.
     */
    private static LocalKeycloak keycloak;

    private final int calls;
    private final int streams;
    private final long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
    private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private ServiceProcess call;
    private ServiceProcess engineer;

    private EngineerStreamBench(int calls, int streams) {
        this.calls = calls;
        this.streams = streams;
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        EngineerStreamBench bench = new EngineerStreamBench(calls, streams);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll, "bench-stop"));
        int exitCode = 0;
        try {
            bench.run();
        } catch (IllegalStateException | IOException e) {
            System.err.println("The benchmark could not run: " + e.getMessage());
            exitCode = 2;
        }
        bench.stopAll();
        System.exit(exitCode);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        Path logs = ProjectPaths.locate().root().resolve("target/bench/engineer-stream");
        Files.createDirectories(logs);
        System.out.println("Starting PostgreSQL, Kafka and Keycloak (deploy/local, temporary data)...");
        postgres = LocalPostgres.start(null, 0);
        kafka = LocalKafka.start(null, 0, null);
        keycloak = LocalKeycloak.start(0, 0, logs.resolve("keycloak"));

        System.out.println("Starting payment-service, engineer-service (" + POD_HEAP + ") and call-service...");
        ServiceProcess payment = start("payment-service", "payment", Map.of(), logs);
        engineer = start("engineer-service", "engineer", Map.of(), logs);
        payment.awaitReady(READY_TIMEOUT);
        call = start("call-service", "call", Map.of("quarkus.rest-client.payment.url", payment.baseUri().toString(),
                "quarkus.oidc-client.credentials.secret", LocalRealm.CALL_SERVICE_SECRET), logs);
        engineer.awaitReady(READY_TIMEOUT);
        call.awaitReady(READY_TIMEOUT);

        latency();
        idleStreams(logs);
        System.out.printf("Took %d s in all (service logs in %s)%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), logs);
    }

    // --- 1. POST /calls -> offer on the stream ---

    private void latency() throws Exception {
        String region = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String engineerId = registerEngineer("Bench Kim", region);
        try (OfferWatcher watcher = new OfferWatcher(engineer.port(), engineerId)) {
            System.out.println("Warming up (20 calls)...");
            for (int i = 0; i < 20; i++) {
                timeOneCall(region, watcher, true);
            }
            System.out.printf("Measuring %d calls, one after the other...%n", calls);
            List<Long> toOffer = new ArrayList<>();
            List<Long> post = new ArrayList<>();
            List<Long> afterAnswer = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                checkTime();
                long[] timing = timeOneCall(region, watcher, false);
                post.add(timing[0]);
                toOffer.add(timing[1]);
                afterAnswer.add(timing[1] - timing[0]);
            }
            System.out.println();
            System.out.printf("POST /calls -> assignment-offered on the engineer's stream, %d calls one after the other:%n", calls);
            System.out.println("  " + percentiles(toOffer));
            System.out.println("  POST /calls itself (the fee charged through payment-service): " + percentiles(post));
            System.out.println("  from its 201 to the offer (outbox, Kafka, engineer-service, stream): " + percentiles(afterAnswer));
        }
    }

    /** @return nanoseconds of the POST and from the POST to the offer on the stream */
    private long[] timeOneCall(String region, OfferWatcher watcher, boolean warmUp) throws Exception {
        String body = "{\"applianceType\":\"WASHER\",\"region\":\"" + region
                + "\",\"address\":\"1 Teheran-ro\",\"description\":\"benchmark\"}";
        long sent = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(call.baseUri().resolve("/calls"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + keycloak.passwordGrant(LocalRealm.ALICE))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        if (answer.statusCode() != 201) {
            if (warmUp) {
                // a cold JVM may miss the 2 s charge timeout on its first calls
                Thread.sleep(500);
                return null;
            }
            throw new IllegalStateException("POST /calls answered " + answer.statusCode() + ": " + answer.body());
        }
        Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(answer.body());
        if (!id.find()) {
            throw new IllegalStateException("No call id in " + answer.body());
        }
        long offered = watcher.awaitOffer(id.group(1), OFFER_TIMEOUT);
        return new long[] { answered - sent, offered - sent };
    }

    // --- 2. idle streams ---

    private void idleStreams(Path logs) throws Exception {
        int engineers = Math.max(1, streams / 10);
        System.out.printf("%nRegistering %d engineers for %d idle streams...%n", engineers, streams);
        String region = "bench-idle-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> engineerIds = new ArrayList<>();
        for (int i = 0; i < engineers; i++) {
            checkTime();
            engineerIds.add(registerEngineer("Idle " + i, region));
        }
        Memory before = Memory.of(engineer.pid());
        System.out.printf("engineer-service before: resident %d MB, live heap %d MB%n", before.residentKb() / 1024,
                before.liveHeapKb() / 1024);

        try (IdleClients clients = new IdleClients(engineer.port())) {
            long opening = System.nanoTime();
            clients.open(streams, i -> "/engineers/" + engineerIds.get(i % engineerIds.size()) + "/assignments/stream");
            clients.awaitOpened(streams, this::checkTime);
            double openSeconds = (System.nanoTime() - opening) / 1e9;
            Thread.sleep(2000);
            Memory after = Memory.of(engineer.pid());
            Path histogram = logs.resolve("engineer-service-histogram.txt");
            Files.writeString(histogram, Memory.jcmd(engineer.pid(), "GC.class_histogram"));

            // with them open: one more offer, to an engineer of their own region with a stream of its own
            String busyRegion = region + "-offer";
            String offered = registerEngineer("Busy Park", busyRegion);
            long offerMillis;
            try (OfferWatcher watcher = new OfferWatcher(engineer.port(), offered)) {
                offerMillis = TimeUnit.NANOSECONDS.toMillis(timeOneCall(busyRegion, watcher, false)[1]);
            }
            // a stream's first comment comes one to two periods after its last event (stream-opened)
            System.out.println("Waiting 31 s: a heartbeat (engineer.stream.heartbeat, 15 s) on every stream...");
            long waiting = System.nanoTime();
            Thread.sleep(31_000);
            int open = clients.stillOpen();
            int heartbeats = clients.heartbeatsSince(waiting);

            System.out.println();
            System.out.printf("Idle streams held by one engineer-service (%s, %d engineers):%n", POD_HEAP, engineers);
            System.out.printf("  %d of %d opened in %.1f s; 31 s later %d still open, %d of them with a heartbeat meanwhile%n",
                    clients.opened(), streams, openSeconds, open, heartbeats);
            System.out.printf("  resident memory %d MB -> %d MB: %.1f KB per stream%n", before.residentKb() / 1024,
                    after.residentKb() / 1024, (after.residentKb() - before.residentKb()) / (double) streams);
            System.out.printf("  live heap after a full GC %d MB -> %d MB: %.1f KB per stream%n", before.liveHeapKb() / 1024,
                    after.liveHeapKb() / 1024, (after.liveHeapKb() - before.liveHeapKb()) / (double) streams);
            System.out.printf("  with them open, POST /calls -> offer on another engineer's stream: %d ms%n", offerMillis);
            System.out.println("  (the service's heap by class, with the streams open: " + histogram + ")");
        }
    }

    // --- helpers ---

    private String registerEngineer(String name, String region) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(engineer.baseUri().resolve("/engineers"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + keycloak.passwordGrant(LocalRealm.OLIVIA))
                // an account id of its own (no user behind it: the bench never acts as the engineer)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"region\":\"" + region
                        + "\",\"skills\":[\"WASHER\"],\"accountId\":\"bench-" + UUID.randomUUID() + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("POST /engineers answered " + answer.statusCode() + ": " + answer.body());
        }
        Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(answer.body());
        id.find();
        return id.group(1);
    }

    private ServiceProcess start(String module, String database, Map<String, String> extra, Path logs) {
        ServiceProcess service = ServiceProcess.forModule(module)
                .config(postgres.datasourceConfig(database))
                .config("kafka.bootstrap.servers", kafka.bootstrapServers())
                .config("quarkus.shutdown.delay", "0s")
                .config("quarkus.oidc.auth-server-url", keycloak.issuer())
                .config("quarkus.log.category.\"io.ascall\".level", "WARN")
                .config(extra)
                .jvmArg(POD_HEAP)
                .logFile(logs.resolve(module + ".log"))
                .start();
        services.add(service);
        return service;
    }

    private void checkTime() {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the benchmark did not finish within " + TIME_LIMIT.toMinutes() + " minutes");
        }
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", at(sorted, 50), at(sorted, 90),
                at(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double at(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    /** The header line a stream is opened with: the operator's token. */
    private static String streamAuthorization() {
        return "Authorization: Bearer " + keycloak.passwordGrant(LocalRealm.OLIVIA) + "\r\n";
    }

    private synchronized void stopAll() {
        List<ServiceProcess> running;
        synchronized (services) {
            running = new ArrayList<>(services);
            services.clear();
        }
        Collections.reverse(running);
        running.forEach(ServiceProcess::stop);
        if (keycloak != null) {
            keycloak.close();
            keycloak = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    /** Resident memory (/proc) and live heap (after a full GC, through jcmd) of a process. */
    private record Memory(long residentKb, long liveHeapKb) {

        static Memory of(long pid) throws IOException, InterruptedException {
            jcmd(pid, "GC.run");
            long heap = 0;
            for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
                Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(line);
                if (used.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                    heap += Long.parseLong(used.group(1));
                }
            }
            long resident = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    resident = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return new Memory(resident, heap);
        }

        static String jcmd(long pid, String command) throws IOException, InterruptedException {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed: " + output);
            }
            return output;
        }
    }

    /** One engineer's stream read on a thread of its own: when each offer arrived, by call id. */
    private static final class OfferWatcher implements AutoCloseable {

        private final Socket socket;
        private final Map<String, Long> offers = new ConcurrentHashMap<>();

        OfferWatcher(int port, String engineerId) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress(HOST, port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /engineers/" + engineerId + "/assignments/stream HTTP/1.1\r\nHost: " + HOST + "\r\n"
                    + streamAuthorization() + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread reader = new Thread(this::read, "offer-watcher");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                boolean offer = false;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("event:")) {
                        offer = line.equals("event:assignment-offered");
                    } else if (offer && line.startsWith("data:")) {
                        Matcher callId = CALL_ID.matcher(line);
                        if (callId.find()) {
                            offers.putIfAbsent(callId.group(1), System.nanoTime());
                        }
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        long awaitOffer(String callId, Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < until) {
                Long at = offers.get(callId);
                if (at != null) {
                    return at;
                }
                Thread.sleep(0, 200_000);
            }
            throw new IllegalStateException("No offer of call " + callId + " on the stream within " + timeout.toSeconds() + " s");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Many idle streams from one selector thread: opened, confirmed by their stream-opened event, then only read. */
    private static final class IdleClients implements AutoCloseable {

        private static final byte[] OPENED = "event:stream-opened".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] HEARTBEAT = ":keep-alive".getBytes(StandardCharsets.US_ASCII);

        private final InetSocketAddress server;
        private final Selector selector;
        private final List<SocketChannel> channels = new ArrayList<>();
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private volatile int opened;
        private volatile boolean running = true;
        private final Thread loop;

        IdleClients(int port) throws IOException {
            server = new InetSocketAddress(HOST, port);
            selector = Selector.open();
            loop = new Thread(this::loop, "idle-clients");
            loop.setDaemon(true);
        }

        void open(int count, java.util.function.IntFunction<String> path) throws IOException, InterruptedException {
            loop.start();
            String authorization = streamAuthorization();
            for (int i = 0; i < count; i++) {
                while (i - opened >= CONNECTING_AT_ONCE) {
                    Thread.sleep(5);
                }
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(server);
                synchronized (channels) {
                    channels.add(channel);
                }
                byte[] request = ("GET " + path.apply(i) + " HTTP/1.1\r\nHost: " + HOST + "\r\n" + authorization
                                + "Accept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                // registering does not wait for a select in progress (JDK 11+); the wake-up has it seen at once
                channel.register(selector, SelectionKey.OP_CONNECT, new Connection(ByteBuffer.wrap(request)));
                selector.wakeup();
            }
        }

        void awaitOpened(int count, Runnable checkTime) throws InterruptedException {
            long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (opened < count && System.nanoTime() < until) {
                checkTime.run();
                Thread.sleep(50);
            }
        }

        int opened() {
            return opened;
        }

        /** How many streams received a heartbeat after this instant (System.nanoTime). */
        int heartbeatsSince(long since) {
            return (int) selector.keys().stream().map(key -> (Connection) key.attachment())
                    .filter(connection -> connection != null && connection.lastHeartbeat > since).count();
        }

        int stillOpen() {
            synchronized (channels) {
                return (int) channels.stream().filter(SocketChannel::isOpen).count();
            }
        }

        private void loop() {
            while (running) {
                try {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle(key);
                    }
                    selector.selectedKeys().clear();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void handle(SelectionKey key) {
            SocketChannel channel = (SocketChannel) key.channel();
            Connection connection = (Connection) key.attachment();
            try {
                if (key.isConnectable() && channel.finishConnect()) {
                    channel.write(connection.request);
                    key.interestOps(SelectionKey.OP_READ);
                } else if (key.isReadable()) {
                    buffer.clear();
                    int read = channel.read(buffer);
                    if (read < 0) {
                        key.cancel();
                        channel.close();
                        return;
                    }
                    if (!connection.opened && contains(buffer, read, OPENED)) {
                        connection.opened = true;
                        opened++;
                    } else if (contains(buffer, read, HEARTBEAT)) {
                        connection.lastHeartbeat = System.nanoTime();
                    }
                }
            } catch (IOException e) {
                key.cancel();
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        private static boolean contains(ByteBuffer buffer, int length, byte[] wanted) {
            byte[] bytes = buffer.array();
            outer:
            for (int i = 0; i + wanted.length <= length; i++) {
                for (int j = 0; j < wanted.length; j++) {
                    if (bytes[i + j] != wanted[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            running = false;
            selector.wakeup();
            synchronized (channels) {
                for (SocketChannel channel : channels) {
                    channel.close();
                }
            }
            selector.close();
        }

        private static final class Connection {
            final ByteBuffer request;
            boolean opened;
            volatile long lastHeartbeat;

            Connection(ByteBuffer request) {
                this.request = request;
            }
        }
    }
}
