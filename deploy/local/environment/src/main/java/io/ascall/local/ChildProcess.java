package io.ascall.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the local environment (the Kafka broker, a service), with its output appended
 * to a log file.
 *
 * <p>Two things keep children from outliving or racing their parent:
 * <ul>
 * <li>Its standard input is a pipe whose other end only this process holds. The children
 * watch it and exit at end of file, which the operating system signals whenever this process
 * ends, even by SIGKILL.</li>
 * <li>It runs in a session of its own ({@code setsid}, when the system has it), so a Ctrl-C in
 * the terminal of {@code deploy/local/up} reaches only the launcher, which then stops the
 * services before Kafka and Kafka before PostgreSQL, instead of every process at once.</li>
 * </ul>
 */
final class ChildProcess {

    private static final Path SETSID = findSetsid();

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private Process process;

    ChildProcess(String name, List<String> command, Map<String, String> environment, Path logFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
    }

    /** The java launcher of this JVM: children run on the same JDK. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts the process (again, after {@link #stop} or {@link #kill}).
     *
     * @return the length of the log file before this start: what the process writes comes after it
     */
    synchronized long start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        List<String> fullCommand = new ArrayList<>();
        if (SETSID != null) {
            fullCommand.add(SETSID.toString());
        }
        fullCommand.addAll(command);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(
                    logFile,
                    "=== " + OffsetDateTime.now() + " starting " + name + ": " + String.join(" ", command)
                            + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            long offset = Files.size(logFile);
            ProcessBuilder builder = new ProcessBuilder(fullCommand)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(environment);
            process = builder.start();
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + " (" + String.join(" ", command) + ")", e);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit code once the process has ended. */
    synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    Path logFile() {
        return logFile;
    }

    /** Asks the process to stop (SIGTERM, so it shuts down cleanly), and kills it if it is still there after {@code grace}. */
    synchronized void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(grace)) {
            System.err.println("[ascall] " + name + " did not stop within " + grace.toSeconds() + " s: killing it");
            kill();
        }
    }

    /** Ends the process at once (SIGKILL), as a crash would. */
    synchronized void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** Closes the pipe the child watches, exactly as the death of this process would. */
    synchronized void closeParentLink() throws IOException {
        if (process != null) {
            process.getOutputStream().close();
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static Path findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
