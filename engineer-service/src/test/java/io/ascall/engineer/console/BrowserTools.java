package io.ascall.engineer.console;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the console's browser test needs beyond the JDK, installed when missing: Node.js (only
 * checked), Debian's {@code chromium} (apt-get, as root), and {@code playwright-core} from the
 * npm registry into {@code target/browser-test} (pinned in {@code src/test/browser/package.json}).
 * When one of them cannot be had, the test is skipped with a message saying which and why.
 */
final class BrowserTools {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SOURCES = Path.of("src/test/browser");
    private static final Path WORK_DIR = Path.of("target/browser-test");

    private BrowserTools() {}

    /** The folder to run the test script in, with playwright-core installed; or the test is skipped. */
    static Path prepare() throws IOException, InterruptedException {
        if (!succeeds(List.of("node", "--version"), Map.of(), 30)) {
            abort("Skipped: Node.js (node) is not installed; the console's browser test runs playwright-core on it");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            installChromium();
        }
        if (!Files.isExecutable(CHROMIUM)) {
            abort("Skipped: no Chromium at " + CHROMIUM
                    + " and it could not be installed (apt-get install chromium, as root)");
        }
        Files.createDirectories(WORK_DIR);
        for (String file : List.of("package.json", "console.test.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK_DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(WORK_DIR.resolve("node_modules/playwright-core/package.json"))
                && !succeeds(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300)) {
            abort("Skipped: playwright-core could not be installed from the npm registry into " + WORK_DIR);
        }
        return WORK_DIR;
    }

    private static void installChromium() throws IOException, InterruptedException {
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
