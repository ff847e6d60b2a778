package io.ascall.system;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the console's browser test needs beyond the JDK: Node.js, a Chromium (or Chrome), and
 * {@code playwright-core} from the npm registry in {@code target/browser-test} (pinned in {@code
 * src/test/browser/package.json}). What is missing is installed where it can be: Debian's {@code
 * chromium} with apt-get as root, playwright-core with npm.
 *
 * <p>When something cannot be had, the test is skipped with a message saying what and why on a
 * developer's machine, and fails in CI (the environment variable {@code CI} is {@code true}, as
 * GitHub Actions sets it): there the tools are expected (the workflow sets up Node.js, the runner
 * image has Chrome), and a skipped browser test would pass a broken console unseen.
 */
final class BrowserTools {

    private static final Path SOURCES = Path.of("src/test/browser");
    private static final Path WORK_DIR = Path.of("target/browser-test");
    /** Debian's and Ubuntu's Chromium, then Google Chrome (GitHub's runner images have it). */
    private static final List<String> BROWSERS = List.of(
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
            "/usr/bin/google-chrome-stable");

    /** The browser to drive, and the folder to run the test script in. */
    record Tools(Path browser, Path workDir) {}

    private BrowserTools() {}

    /** Everything the test needs, installed when missing; or the test is skipped (failed in CI), saying why. */
    static Tools prepare() throws IOException, InterruptedException {
        if (!succeeds(List.of("node", "--version"), Map.of(), 30)) {
            unavailable("Node.js (node) is not installed; the console's browser test runs playwright-core on it");
        }
        Path browser = browser();
        if (browser == null) {
            installChromium();
            browser = browser();
        }
        if (browser == null) {
            unavailable("no Chromium or Chrome (tried $CHROMIUM, " + String.join(", ", BROWSERS)
                    + "), and none could be installed (apt-get install chromium, as root)");
        }
        Files.createDirectories(WORK_DIR);
        for (String file : List.of("package.json", "console.test.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK_DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(WORK_DIR.resolve("node_modules/playwright-core/package.json"))
                && !succeeds(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300)) {
            unavailable("playwright-core could not be installed from the npm registry into " + WORK_DIR);
        }
        return new Tools(browser, WORK_DIR.toAbsolutePath());
    }

    private static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("The console's browser test cannot run in CI: " + why);
        }
        abort("Skipped: " + why);
    }

    /** The first browser that starts ({@code --version}): a leftover wrapper without its browser does not. */
    private static Path browser() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        String chosen = System.getenv("CHROMIUM");
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen);
        }
        candidates.addAll(BROWSERS);
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path) && succeeds(List.of(candidate, "--version"), Map.of(), 60)) {
                return path;
            }
        }
        return null;
    }

    private static void installChromium() throws InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !succeeds(List.of("apt-get", "--version"), Map.of(), 30)) {
            return;
        }
        System.out.println("Installing Debian's chromium for the console's browser test (apt-get)...");
        Map<String, String> quiet = Map.of("DEBIAN_FRONTEND", "noninteractive");
        if (succeeds(List.of("apt-get", "update", "-qq"), quiet, 300)) {
            succeeds(List.of("apt-get", "install", "-y", "-qq", "chromium"), quiet, 600);
        }
    }

    /** Runs a command in {@link #WORK_DIR} (or here, before it exists), its output to this one's; true when it exits 0 in time. */
    private static boolean succeeds(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (Files.isDirectory(WORK_DIR)) {
            builder.directory(WORK_DIR.toFile());
        }
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return false;
        }
        Thread output = new Thread(() -> {
            try {
                process.getInputStream().transferTo(System.out);
            } catch (IOException e) {
                // the process ended
            }
        });
        output.setDaemon(true);
        output.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            System.out.println(String.join(" ", command) + ": no answer within " + timeoutSeconds + " s, stopped");
            return false;
        }
        return process.exitValue() == 0;
    }
}
