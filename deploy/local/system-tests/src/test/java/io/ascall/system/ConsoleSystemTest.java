package io.ascall.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalKeycloak;
import io.ascall.local.LocalRealm;
import io.restassured.http.ContentType;

/**
 * The engineer console ({@code /console/} of engineer-service) as an engineer uses it, in a real
 * headless Chromium driven by playwright-core ({@code src/test/browser/console.test.mjs}), on the
 * whole system and the local Keycloak: the engineer logs in on Keycloak's own login page
 * (authorization code with PKCE), sees a paid call offered to them arrive on the live stream,
 * accepts it (the call is dispatched) and completes it (the call is completed); an engineer
 * account without an engineer record is told so; the access token is renewed before it expires,
 * and at once when the service refuses it; logging out ends the provider's session. Skipped, saying why, only where Node.js or a Chromium cannot be had,
 * and never in CI ({@link BrowserTools}).
 *
 * <p>The realm's console client allows redirects to engineer-service's usual port only (Keycloak
 * accepts any port of a loopback address only for a redirect URI registered without a port), and
 * this system's engineer-service listens on a free port: the test adds that address to the client
 * through Keycloak's admin API for as long as it runs, as an administrator registering a new
 * console address would. Its web origin follows ({@code "+"}), so the page may call the token
 * endpoint from there.
 */
class ConsoleSystemTest {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    private static BrowserTools.Tools tools;
    private static SagaSystem system;
    private static SagaClient saga;
    private static String consoleRedirect;

    @BeforeAll
    static void start() throws Exception {
        tools = BrowserTools.prepare();
        // offers last as in production: the browser answers them, never in a hurry for a short deadline
        system = SagaSystem.start("console", Duration.ofMinutes(2));
        saga = new SagaClient(system);
        consoleRedirect = system.engineer.baseUri().toString().replaceAll("/+$", "") + "/console/*";
        changeRedirects(uris -> uris.add(consoleRedirect));
    }

    @AfterAll
    static void stop() {
        try {
            if (consoleRedirect != null) {
                changeRedirects(uris -> uris.remove(consoleRedirect));
            }
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }

    @Test
    void anEngineerLogsInAndAcceptsAndCompletesAnOfferThatArrivesLive() throws Exception {
        String region = SagaClient.uniqueRegion();
        String name = "Park Ji-hoon";
        String engineerId = saga.registerEngineer(LocalRealm.PARK, name, region, "WASHER");

        try (Browser browser = Browser.start("offer", LocalRealm.PARK, Map.of("ENGINEER_NAME", name))) {
            browser.expect("LOGGED_IN");
            browser.expect("READY");
            String callId = saga.paidCall("WASHER", region);
            String[] offer = browser.expect("OFFER").split(" ");
            assertEquals(callId, offer[1], "the offer of the call appeared on the page");
            String assignmentId = offer[2];

            browser.expect("ACCEPTED");
            saga.awaitCall(callId, "DISPATCHED");
            assertEquals(
                    assignmentId,
                    saga.awaitAssignment(engineerId, callId, "ACCEPTED").get("id"));

            browser.send("COMPLETE");
            browser.expect("COMPLETED");
            saga.awaitCall(callId, "COMPLETED");
            browser.awaitSuccess();
        }
    }

    @Test
    void anEngineerAccountWithoutAnEngineerRecordIsToldSo() throws Exception {
        given().baseUri(system.engineer.baseUri().toString())
                .header("Authorization", "Bearer " + system.accounts.token(LocalRealm.KIM))
                .get("/engineers/me")
                .then()
                .statusCode(404);

        try (Browser browser = Browser.start("no-engineer", LocalRealm.KIM, Map.of())) {
            browser.expect("NO_ENGINEER");
            browser.expect("REFRESHED");
            browser.expect("RENEWED");
            browser.expect("LOGGED_OUT");
            browser.awaitSuccess();
        }
    }

    /** Changes the redirect URIs of the realm's console client ({@value LocalRealm#APP_CLIENT}). */
    private static void changeRedirects(Consumer<List<String>> change) {
        LocalKeycloak keycloak = LocalEnvironment.shared().keycloak();
        String admin = keycloak.adminToken();
        String clients = "/admin/realms/" + LocalRealm.REALM + "/clients";
        Map<String, Object> client = given().baseUri(keycloak.url())
                .header("Authorization", "Bearer " + admin)
                .queryParam("clientId", LocalRealm.APP_CLIENT)
                .get(clients)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("[0]");
        @SuppressWarnings("unchecked")
        List<String> redirects = new ArrayList<>((List<String>) client.get("redirectUris"));
        change.accept(redirects);
        client.put("redirectUris", redirects);
        given().baseUri(keycloak.url())
                .header("Authorization", "Bearer " + admin)
                .contentType(ContentType.JSON)
                .body(client)
                .put(clients + "/" + client.get("id"))
                .then()
                .statusCode(204);
    }

    /** The browser script of one scenario, its output line by line, and commands to it. */
    private static final class Browser implements AutoCloseable {

        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer commands;

        private Browser(Process process) {
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line = in.readLine(); line != null; line = in.readLine()) {
                                System.out.println("[console.test.mjs] " + line);
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            // the process ended
                        }
                    },
                    "console-test-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Browser start(String scenario, LocalRealm.User user, Map<String, String> environment)
                throws IOException {
            Path screenshots = Path.of("target/browser-test/screenshots").toAbsolutePath();
            Files.createDirectories(screenshots);
            ProcessBuilder builder = new ProcessBuilder("node", "console.test.mjs")
                    .directory(tools.workDir().toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            builder.environment().put("SCENARIO", scenario);
            builder.environment()
                    .put("BASE_URL", system.engineer.baseUri().toString().replaceAll("/+$", ""));
            builder.environment()
                    .put("ISSUER", LocalEnvironment.shared().keycloak().issuer());
            builder.environment().put("USERNAME", user.username());
            builder.environment().put("PASSWORD", user.password());
            builder.environment().put("CHROMIUM", tools.browser().toString());
            builder.environment().put("SCREENSHOTS", screenshots.toString());
            return new Browser(builder.start());
        }

        /** Waits for the script's line that starts with {@code word}; fails on FAILED or when the time is up. */
        String expect(String word) throws InterruptedException {
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    break;
                }
                if (line.startsWith("FAILED")) {
                    fail("The browser test failed: " + line);
                }
                if (line.equals(word) || line.startsWith(word + " ")) {
                    return line;
                }
            }
            return fail("No " + word + " from the browser within " + STEP_TIMEOUT.toSeconds() + " s");
        }

        void send(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
        }

        void awaitSuccess() throws InterruptedException {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the browser script ends by itself");
            assertEquals(0, process.exitValue(), "the browser script's exit code");
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
