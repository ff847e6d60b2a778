package io.ascall.local;

import java.io.IOException;
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

/**
 * A packaged Quarkus service ({@code java -jar <module>/target/quarkus-app/quarkus-run.jar}) run
 * as a child process on 127.0.0.1, configured by {@code -D} system properties, its output in a
 * log file. Tests start the real services they depend on this way; so does {@code deploy/local/up}.
 *
 * <pre>{@code
 * ServiceProcess payment = ServiceProcess.forModule("payment-service")
 *         .config(LocalEnvironment.shared().postgres().datasourceConfig("payment"))
 *         .start()
 *         .awaitReady(Duration.ofSeconds(60));
 * URI base = payment.baseUri();
 * }</pre>
 *
 * <p>The service ends by itself when this JVM ends, even by SIGKILL (see {@link ParentWatchAgent}).
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final int LOG_TAIL_LINES = 60;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private final String name;
    private final int port;
    private final ChildProcess process;

    private ServiceProcess(String name, int port, ChildProcess process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * A service of this project, by module folder (e.g. {@code "payment-service"}).
     *
     * @throws IllegalStateException naming the build command when the module is not packaged
     */
    public static Builder forModule(String module) {
        return new Builder(module, ProjectPaths.locate().serviceJar(module));
    }

    /** Any runnable jar that serves {@code /q/health/ready} on {@code quarkus.http.port}. */
    public static Builder forJar(Path jar) {
        String fileName = jar.getFileName().toString();
        return new Builder(fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName, jar);
    }

    /** The name in messages and in the default log file name (the module). */
    public String name() {
        return name;
    }

    /** The HTTP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://" + Ports.HOST + ":" + port);
    }

    public Path logFile() {
        return process.logFile();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the service logged. */
    public String logTail(int lines) {
        return LogTail.lastLines(process.logFile(), lines);
    }

    /**
     * Waits until {@code /q/health/ready} answers 200.
     *
     * @return this service
     * @throws IllegalStateException with the end of the log if the process ends first or the time is up
     */
    public ServiceProcess awaitReady(Duration timeout) {
        URI ready = baseUri().resolve("/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastAnswer = "no answer yet";
        while (true) {
            Integer exitCode = process.exitCode();
            if (exitCode != null) {
                throw new IllegalStateException(name + " exited with code " + exitCode + " before it was ready"
                        + LogTail.describe(process.logFile(), LOG_TAIL_LINES));
            }
            try {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(ready)
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return this;
                }
                lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                lastAnswer = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name + " to be ready", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s (" + ready
                        + ": " + lastAnswer + ")" + LogTail.describe(process.logFile(), LOG_TAIL_LINES));
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name + " to be ready", e);
            }
        }
    }

    /** Stops the service cleanly (SIGTERM: Quarkus finishes its requests), killing it if it is still there after 30 s. */
    public void stop() {
        process.stop(STOP_TIMEOUT);
    }

    /** Kills the service at once (SIGKILL), as a crash would. */
    public void kill() {
        process.kill();
    }

    /**
     * Stops the service cleanly if it runs, then starts it again with the same port and
     * configuration. Does not wait: call {@link #awaitReady(Duration)}.
     *
     * @return this service
     */
    public ServiceProcess restart() {
        stop();
        process.start();
        return this;
    }

    /** Closes the pipe the service watches, as the death of this JVM would (for tests of that guarantee). */
    void simulateParentDeath() throws IOException {
        process.closeParentLink();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + " on " + baseUri() + " (log " + logFile() + ")";
    }

    /** The configuration of a service to start. */
    public static final class Builder {

        private String name;
        private final Path jar;
        private int port;
        private final Map<String, String> config = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private Path logFile;

        private Builder(String name, Path jar) {
            this.name = name;
            this.jar = jar;
        }

        /** The name in messages and in the default log file name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The HTTP port on 127.0.0.1; 0 (the default) for a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** One configuration property, given to the service as {@code -Dkey=value}. */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /** Configuration properties, given to the service as {@code -Dkey=value}. */
        public Builder config(Map<String, String> properties) {
            config.putAll(properties);
            return this;
        }

        /** An environment variable of the service's process. */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** A JVM option such as {@code -Xmx256m}. */
        public Builder jvmArg(String option) {
            jvmArgs.add(option);
            return this;
        }

        /** Where stdout and stderr go (appended); default {@code <scratch>/service-logs/<name>-<port>.log}. */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        /**
         * Starts the service. Does not wait for it: call {@link ServiceProcess#awaitReady(Duration)}.
         *
         * @throws IllegalStateException if the jar does not exist
         */
        public ServiceProcess start() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        "Cannot start " + name + ": " + jar + " does not exist (not packaged?)");
            }
            int chosenPort = Ports.orFree(port);
            Map<String, String> properties = new LinkedHashMap<>();
            // everything local listens on the loopback interface only; the caller may still override it
            properties.put("quarkus.http.host", Ports.HOST);
            properties.putAll(config);
            properties.put("quarkus.http.port", Integer.toString(chosenPort));
            List<String> command = new ArrayList<>();
            command.add(ChildProcess.javaExecutable());
            command.add("-javaagent:" + ParentWatchAgent.jar());
            // as the image does (libs/service-defaults): the service checks URIs itself, as problems
            command.add("-Dvertx.disableURIValidation=true");
            command.addAll(jvmArgs);
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(jar.toAbsolutePath().toString());
            Path log = logFile != null
                    ? logFile
                    : ProjectPaths.scratchDir().resolve("service-logs").resolve(name + "-" + chosenPort + ".log");
            ChildProcess process = new ChildProcess(name, command, environment, log.toAbsolutePath());
            process.start();
            return new ServiceProcess(name, chosenPort, process);
        }
    }
}
