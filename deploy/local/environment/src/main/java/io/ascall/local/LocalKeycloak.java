package io.ascall.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keycloak on 127.0.0.1, run with {@code bin/kc.sh start-dev} from the distribution that
 * {@code deploy/local/keycloak} unpacks, with the committed realm {@value LocalRealm#REALM}
 * imported on every start (see {@link LocalRealm}).
 *
 * <p>Nothing is kept between runs: the database is in memory ({@code --db=dev-mem}) and the realm
 * file is the whole truth. The issuer is fixed by {@code --hostname}, so tokens name
 * {@link #issuer()} whoever asks, and the realm carries its own signing key, so every start signs
 * with the same key (quarkus-oidc caches keys for minutes).
 *
 * <p>The distribution is shared by every run and kept as unpacked, except for {@code lib/quarkus}:
 * Keycloak's first {@code start-dev} rebuilds it for the dev profile once (about 45 s), and later
 * starts reuse it. What one run writes (the realm to import, the transaction log) is in its own
 * folder. Keycloak exits by itself when this JVM is gone, even by SIGKILL (the
 * {@link ParentWatchAgent}, given through {@code JAVA_OPTS_APPEND}).
 */
public final class LocalKeycloak implements AutoCloseable {

    /** The version {@code deploy/local/keycloak} unpacks (its pom's {@code keycloak.version}). */
    public static final String VERSION = "26.5.6";

    /** The master realm's administrator, for the admin console at {@code <url>/admin/}: local only. */
    public static final String ADMIN_USERNAME = "admin";

    public static final String ADMIN_PASSWORD = "admin";

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    /** A token is taken anew this long before it expires, so a caller never sends one that expires on the way. */
    private static final Duration EARLY_RENEWAL = Duration.ofSeconds(60);

    private static final int LOG_TAIL_LINES = 60;
    /**
     * The options Keycloak builds into {@code lib/quarkus} (its {@code META-INF/keycloak-persisted.properties}):
     * while they are there, a start does not rebuild.
     */
    private static final Map<String, String> BUILD_OPTIONS =
            Map.of("kc.profile", "dev", "kc.db", "dev-mem", "kc.health-enabled", "true");
    /** Held while a start rebuilds the shared distribution; a string literal is one object in every class loader. */
    private static final String JVM_WIDE_BUILD_LOCK = "io.ascall.local.LocalKeycloak.build";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Path home;
    private final Path workDir;
    private final boolean temporary;
    private final int port;
    private final int managementPort;
    private final ChildProcess process;
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> tokenLocks = new ConcurrentHashMap<>();

    private LocalKeycloak(
            Path home, Path workDir, boolean temporary, int port, int managementPort, ChildProcess process) {
        this.home = home;
        this.workDir = workDir;
        this.temporary = temporary;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    /**
     * Starts Keycloak and waits until it is ready and serves the realm, its log in
     * {@code keycloak.log} of {@code workDir}.
     *
     * @param port           HTTP port on 127.0.0.1 (the issuer's), or 0 for a free one
     * @param managementPort port of the health endpoints, or 0 for a free one
     * @param workDir        the folder of this run's files (the realm to import, the transaction log), rewritten on each start
     */
    public static LocalKeycloak start(int port, int managementPort, Path workDir) {
        return start(port, managementPort, workDir, null);
    }

    /**
     * Starts Keycloak and waits until it is ready and serves the realm.
     *
     * @param logFile where Keycloak logs (appended); {@code null} for {@code keycloak.log} in {@code workDir}
     * @see #start(int, int, Path)
     */
    public static LocalKeycloak start(int port, int managementPort, Path workDir, Path logFile) {
        return launch(port, managementPort, workDir.toAbsolutePath().normalize(), false, logFile);
    }

    /** Starts Keycloak on free ports with its files and log in {@code folder}, which {@link #close()} deletes. */
    static LocalKeycloak startTemporary(Path folder) {
        return launch(0, 0, folder.toAbsolutePath().normalize(), true, null);
    }

    /**
     * A Keycloak started by another class loader of this JVM (see {@link LocalEnvironment}): it
     * gives tokens, and {@link #close()} leaves it running.
     */
    static LocalKeycloak attach(int port, int managementPort) {
        return new LocalKeycloak(null, null, false, port, managementPort, null);
    }

    private static LocalKeycloak launch(int port, int managementPort, Path dir, boolean temporary, Path logFile) {
        ProjectPaths paths = ProjectPaths.locate();
        Path home = paths.keycloakHome();
        int httpPort = Ports.orFree(port);
        int healthPort = Ports.orFree(managementPort);
        if (httpPort == healthPort) {
            throw new IllegalArgumentException("Keycloak's HTTP and management ports must differ: " + httpPort);
        }
        Path importDir = dir.resolve("import");
        try {
            Files.createDirectories(dir);
            // only the committed realm: whatever else an earlier run left there would be imported too
            Folders.deleteRecursively(importDir);
            Files.createDirectories(importDir);
            Files.copy(
                    paths.keycloakRealmFile(),
                    importDir.resolve(LocalRealm.REALM + "-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Keycloak folder " + dir, e);
        }
        String url = "http://" + Ports.HOST + ":" + httpPort;
        List<String> command = List.of(
                "/bin/sh",
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-host=" + Ports.HOST,
                "--http-port=" + httpPort,
                "--http-management-port=" + healthPort,
                // the issuer of every token, whatever address a client used (no proxy headers here)
                "--hostname=" + url,
                "--health-enabled=true",
                // nothing to keep: the realm file is imported on every start
                "--db=dev-mem",
                // --import-realm would read <home>/data/import, shared by every run of the distribution;
                // this is the folder --import-realm sets, one per run
                "-Dkeycloak.migration.dir=" + importDir,
                // by default in <home>/data: one per run as well
                "-Dquarkus.transaction-manager.object-store.directory=" + dir.resolve("transaction-logs"));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA", ChildProcess.javaExecutable());
        // empty: kc.sh then uses its own defaults, whatever this process's environment holds
        environment.put("JAVA_OPTS", "");
        // about 400 MB resident instead of the default 512 MB heap alone
        environment.put("JAVA_OPTS_KC_HEAP", "-Xms32m -Xmx256m");
        // C1 only: half the CPU of a start (27 s instead of 65 s measured here, on two busy cores); a
        // local Keycloak serves a few hundred tokens, not the load C2 would pay off for
        environment.put("JAVA_OPTS_APPEND", "-javaagent:" + ParentWatchAgent.jar() + " -XX:TieredStopAtLevel=1");
        environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        ChildProcess process = new ChildProcess(
                "Keycloak on port " + httpPort,
                command,
                environment,
                (logFile != null ? logFile : dir.resolve("keycloak.log")).toAbsolutePath());
        LocalKeycloak keycloak = new LocalKeycloak(home, dir, temporary, httpPort, healthPort, process);
        keycloak.launch();
        return keycloak;
    }

    /**
     * Starts the process and waits until it is ready. The first start of the distribution rebuilds
     * its {@code lib/quarkus}; two such starts at once (tests of several builds) must not write it
     * together, so a start that will rebuild holds a lock, in this JVM and across JVMs, until ready.
     */
    private void launch() {
        if (isBuilt(home)) {
            startAndAwaitReady();
            return;
        }
        synchronized (JVM_WIDE_BUILD_LOCK) {
            Path lockFile = home.resolveSibling("keycloak-" + VERSION + ".build-lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                startAndAwaitReady();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock " + lockFile, e);
            }
        }
    }

    /** Whether {@code lib/quarkus} is built with this class's options, so that a start will not rebuild it. */
    private static boolean isBuilt(Path home) {
        Path jar = home.resolve("lib/quarkus/generated-bytecode.jar");
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            var entry = file.getJarEntry("META-INF/keycloak-persisted.properties");
            if (entry == null) {
                return false;
            }
            Properties persisted = new Properties();
            try (InputStream in = file.getInputStream(entry)) {
                persisted.load(in);
            }
            return BUILD_OPTIONS.entrySet().stream()
                    .allMatch(option -> option.getValue().equals(persisted.getProperty(option.getKey())));
        } catch (IOException e) {
            // being written by a start that rebuilds: not built yet
            return false;
        }
    }

    private void startAndAwaitReady() {
        long started = System.nanoTime();
        process.start();
        URI ready = URI.create("http://" + Ports.HOST + ":" + managementPort + "/health/ready");
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = started + READY_TIMEOUT.toNanos();
        String lastAnswer = "no answer yet";
        try {
            while (true) {
                Integer exitCode = process.exitCode();
                if (exitCode != null) {
                    throw new IllegalStateException("Keycloak (port " + port + ") exited with code " + exitCode
                            + " while starting" + LogTail.describe(process.logFile(), LOG_TAIL_LINES));
                }
                try {
                    HttpResponse<String> health = get(ready);
                    if (health.statusCode() != 200) {
                        lastAnswer = ready + ": HTTP " + health.statusCode() + " " + health.body();
                    } else {
                        HttpResponse<String> realm = get(discovery);
                        if (realm.statusCode() == 200
                                && issuer().equals(JSON.readTree(realm.body())
                                        .path("issuer")
                                        .asText())) {
                            return;
                        }
                        lastAnswer = discovery + ": HTTP " + realm.statusCode() + " " + realm.body();
                    }
                } catch (IOException e) {
                    lastAnswer = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                if (System.nanoTime() > deadline) {
                    stopProcessTree();
                    throw new IllegalStateException("Keycloak (port " + port + ") was not ready within "
                            + READY_TIMEOUT.toSeconds() + " s (" + lastAnswer + ")"
                            + LogTail.describe(process.logFile(), LOG_TAIL_LINES));
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            stopProcessTree();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while Keycloak was starting", e);
        } catch (RuntimeException e) {
            if (process.isAlive()) {
                stopProcessTree();
            }
            throw e;
        }
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code http://127.0.0.1:<port>}: the admin console is at {@code /admin/}. */
    public String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    /** {@code http://127.0.0.1:<port>/realms/ascall}, the {@code iss} of the realm's tokens and {@code quarkus.oidc.auth-server-url}. */
    public String issuer() {
        return url() + "/realms/" + LocalRealm.REALM;
    }

    /** The realm's token endpoint. */
    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public int port() {
        return port;
    }

    /** The port of {@code /health/ready} and {@code /health/live}. */
    public int managementPort() {
        return managementPort;
    }

    /** Where Keycloak logs; {@code null} for a Keycloak started by another class loader. */
    public Path logFile() {
        return process == null ? null : process.logFile();
    }

    public boolean isRunning() {
        return process == null || process.isAlive();
    }

    /**
     * An access token of the user, by password grant through {@value LocalRealm#APP_CLIENT}: the
     * token a user of the app holds. The same token is given again until a minute before it expires.
     * Safe to call from several threads.
     *
     * @throws IllegalStateException when Keycloak refuses (with its answer)
     */
    public String passwordGrant(LocalRealm.User user) {
        return passwordGrant(user.username(), user.password());
    }

    /** An access token by password grant for any user of the realm (one a test created, say); see {@link #passwordGrant(LocalRealm.User)}. */
    public String passwordGrant(String username, String password) {
        return token(
                "password " + username + " " + password,
                tokenEndpoint(),
                Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        LocalRealm.APP_CLIENT,
                        "username",
                        username,
                        "password",
                        password,
                        "scope",
                        "openid"));
    }

    /**
     * An access token of a confidential client by client credentials, e.g.
     * {@code clientCredentials(LocalRealm.CALL_SERVICE_CLIENT, LocalRealm.CALL_SERVICE_SECRET)}: call-service's
     * own identity. Cached as {@link #passwordGrant(LocalRealm.User)}.
     */
    public String clientCredentials(String clientId, String secret) {
        return token(
                "client " + clientId + " " + secret,
                tokenEndpoint(),
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** A token of the master realm's administrator, for Keycloak's admin REST API ({@code <url>/admin/realms/...}). */
    public String adminToken() {
        return token(
                "admin",
                url() + "/realms/master/protocol/openid-connect/token",
                Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        "admin-cli",
                        "username",
                        ADMIN_USERNAME,
                        "password",
                        ADMIN_PASSWORD));
    }

    private String token(String key, String endpoint, Map<String, String> form) {
        CachedToken cached = tokens.get(key);
        if (cached != null && cached.isFresh()) {
            return cached.token();
        }
        // one request per key at a time: many threads asking at once get the one new token
        synchronized (tokenLocks.computeIfAbsent(key, k -> new Object())) {
            cached = tokens.get(key);
            if (cached != null && cached.isFresh()) {
                return cached.token();
            }
            CachedToken fresh = requestToken(endpoint, form);
            tokens.put(key, fresh);
            return fresh.token();
        }
    }

    private static CachedToken requestToken(String endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long asked = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reach Keycloak's token endpoint " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking " + endpoint + " for a token", e);
        }
        String what = form.get("grant_type") + " grant of " + form.getOrDefault("username", form.get("client_id"));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the " + what + " at " + endpoint + ": HTTP "
                    + response.statusCode() + " " + response.body());
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            String token = answer.path("access_token").asText(null);
            long lifetime = answer.path("expires_in").asLong(0);
            if (token == null || lifetime <= 0) {
                throw new IllegalStateException(
                        "Keycloak answered the " + what + " without a token: " + response.body());
            }
            // a minute early, or half way for tokens shorter than two minutes (the master realm's live 60 s)
            long renewAfter = Math.max(lifetime - EARLY_RENEWAL.toSeconds(), lifetime / 2);
            return new CachedToken(token, asked + TimeUnit.SECONDS.toNanos(renewAfter));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Keycloak's answer to the " + what + ": " + response.body(), e);
        }
    }

    private record CachedToken(String token, long renewAtNanos) {
        boolean isFresh() {
            return System.nanoTime() - renewAtNanos < 0;
        }
    }

    /** Stops Keycloak (and the JVM kc.sh runs) cleanly, killing what is left after 30 s. */
    public void stop() {
        owned();
        stopProcessTree();
        tokens.clear();
    }

    /** Stops Keycloak; deletes its folder if it was temporary. A Keycloak of another class loader goes on running. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        stop();
        if (temporary) {
            Folders.deleteRecursively(workDir);
        }
    }

    /**
     * kc.sh runs Keycloak's JVM as its child and passes SIGTERM on; the JVM is also stopped
     * directly, in case the script has gone (killed) and left it.
     */
    private void stopProcessTree() {
        List<ProcessHandle> tree = processTree();
        process.stop(STOP_TIMEOUT);
        for (ProcessHandle child : tree) {
            if (child.isAlive()) {
                child.destroy();
            }
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle child : tree) {
            while (child.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (child.isAlive()) {
                System.err.println("[ascall] Keycloak's process " + child.pid() + " did not stop within "
                        + STOP_TIMEOUT.toSeconds() + " s: killing it");
                child.destroyForcibly();
            }
        }
    }

    /** The process of kc.sh and its descendants (Keycloak's JVM), while they run. */
    List<ProcessHandle> processTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        long pid = process.pid();
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(root -> {
                tree.add(root);
                root.descendants().forEach(tree::add);
            });
        }
        return tree;
    }

    /** Closes the pipe Keycloak's JVM watches, as the death of this JVM would (for tests of that guarantee). */
    void simulateParentDeath() throws IOException {
        owned().closeParentLink();
    }

    private ChildProcess owned() {
        if (process == null) {
            throw new UnsupportedOperationException("This Keycloak was started by another class loader of this JVM"
                    + " and is shared by every test: start a LocalKeycloak of your own to stop one");
        }
        return process;
    }

    @Override
    public String toString() {
        return "LocalKeycloak[" + url() + ", management port " + managementPort
                + (workDir != null ? ", folder " + workDir : "") + "]";
    }
}
