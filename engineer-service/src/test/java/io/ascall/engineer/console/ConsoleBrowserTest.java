package io.ascall.engineer.console;

import static io.ascall.engineer.support.Engineers.assignment;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.TestCall;
import io.restassured.RestAssured;

/**
 * The engineer console (/console/) as an engineer uses it, in a real headless Chromium driven
 * by playwright-core (src/test/browser/console.test.mjs): the engineer chosen on the page, an
 * offer made meanwhile appears without a reload, and a click on Accept dispatches the call, as
 * the API and the saga's events then show. Skipped, saying why, only when Node.js or Chromium
 * cannot be had ({@link BrowserTools}).
 */
@EngineerServiceTest
class ConsoleBrowserTest {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void anOfferAppearsWithoutAReloadAndAcceptingItDispatchesTheCall() throws Exception {
        Path workDir = BrowserTools.prepare();
        String region = uniqueRegion("console");
        String name = "Console Nam";
        register(name, region, "WASHER");
        Path screenshot = workDir.resolve("console-accepted.png").toAbsolutePath();

        ProcessBuilder builder = new ProcessBuilder("node", "console.test.mjs")
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("BASE_URL", "http://127.0.0.1:" + RestAssured.port);
        builder.environment().put("ENGINEER_REGION", region);
        builder.environment().put("ENGINEER_LABEL", name + " (" + region + ")");
        builder.environment().put("CHROMIUM", BrowserTools.CHROMIUM.toString());
        builder.environment().put("SCREENSHOT", screenshot.toString());
        Process browser = builder.start();
        BlockingQueue<String> lines = linesOf(browser);
        try {
            expect(lines, "READY");
            TestCall call = new TestCall("WASHER", region).requestAndPay();
            assertEquals("OFFER " + call.id, expect(lines, "OFFER"), "the offer appeared on the page");

            String[] accepted = expect(lines, "ACCEPTED").split(" ");
            String assignmentId = accepted[1];
            assertEquals(call.id.toString(), accepted[2]);
            assertEquals("ACCEPTED", assignment(assignmentId).getString("status"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Database.dispatchState(call.id), equalTo("DISPATCHED"));
            assertEquals(
                    List.of("EngineerAssigned", "AssignmentAccepted"),
                    Kafka.awaitEvents(call.id, 2).stream()
                            .map(Kafka.Received::type)
                            .toList());
            assertTrue(browser.waitFor(30, TimeUnit.SECONDS), "the browser script ends by itself");
            assertEquals(0, browser.exitValue());
            System.out.println("The console after the click: " + screenshot);
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
        }
    }

    /** The script's output, line by line, echoed to this test's output. */
    private static BlockingQueue<String> linesOf(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
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
        return lines;
    }

    /** Waits for the script's line that starts with {@code word}; fails on FAILED or when the time is up. */
    private static String expect(BlockingQueue<String> lines, String word) throws InterruptedException {
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
}
