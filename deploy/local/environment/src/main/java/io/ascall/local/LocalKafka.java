package io.ascall.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one) on 127.0.0.1, run as a
 * separate JVM from the classpath of {@code deploy/local/kafka-broker}: Kafka's server jars
 * never meet a service's classpath.
 *
 * <p>Topics are created on first use, with {@code partitions} partitions. The broker process
 * exits by itself when this JVM is gone (see {@code KafkaBrokerMain}).
 */
public final class LocalKafka implements AutoCloseable {

    /** Partitions of topics created on first use, unless given. */
    public static final int DEFAULT_PARTITIONS = 3;

    private static final String MAIN_CLASS = "io.ascall.local.kafka.KafkaBrokerMain";
    /** What KafkaRaftServer logs once the broker serves clients. */
    private static final String STARTED_LINE = "Kafka Server started";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 40;

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final int controllerPort;
    private final ChildProcess process;

    private LocalKafka(Path dataDir, boolean temporary, int port, int controllerPort, ChildProcess process) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = process;
    }

    /**
     * Starts the broker with {@value #DEFAULT_PARTITIONS} partitions per new topic and waits until it serves clients.
     *
     * @param dataDir its data folder, kept and reused by the next start; {@code null} for a
     *                temporary one deleted on {@link #close()}
     * @param port    the client port on 127.0.0.1, or 0 for a free one
     * @param logFile where the broker logs; {@code null} for {@code broker.log} in the data folder
     */
    public static LocalKafka start(Path dataDir, int port, Path logFile) {
        return start(dataDir, port, logFile, DEFAULT_PARTITIONS);
    }

    /**
     * Starts the broker and waits until it serves clients.
     *
     * @param partitions partitions of each topic created on first use
     * @see #start(Path, int, Path)
     */
    public static LocalKafka start(Path dataDir, int port, Path logFile, int partitions) {
        Path dir;
        try {
            dir = (dataDir != null ? dataDir : Files.createTempDirectory(ProjectPaths.scratchDir(), "kafka-"))
                    .toAbsolutePath()
                    .normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder for Kafka", e);
        }
        return launch(dir, dataDir == null, port, logFile != null ? logFile : dir.resolve("broker.log"), partitions);
    }

    /** Starts the broker with its data and log ({@code broker.log}) in {@code folder}, which {@link #close()} deletes. */
    static LocalKafka startTemporary(Path folder, int port, int partitions) {
        Path dir = folder.toAbsolutePath().normalize();
        return launch(dir, true, port, dir.resolve("broker.log"), partitions);
    }

    /**
     * A broker started by another class loader of this JVM (see {@link LocalEnvironment}): it
     * can be used, not stopped, and {@link #close()} leaves it running.
     */
    static LocalKafka attach(int port) {
        return new LocalKafka(null, false, port, -1, null);
    }

    private static LocalKafka launch(Path dir, boolean temporary, int port, Path logFile, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        String classpath = ProjectPaths.locate().kafkaBrokerClasspath();
        int clientPort = Ports.orFree(port);
        int controllerPort = Ports.free();
        Path serverProperties = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
            // rewritten on each start: the controller port is chosen anew, the data is kept
            Files.writeString(
                    serverProperties, serverProperties(dir.resolve("data"), clientPort, controllerPort, partitions));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + serverProperties, e);
        }
        ChildProcess process = new ChildProcess(
                "Kafka broker on port " + clientPort,
                List.of(
                        ChildProcess.javaExecutable(),
                        "-Xmx512m",
                        "-Xms64m",
                        "-Djava.awt.headless=true",
                        "-cp",
                        classpath,
                        MAIN_CLASS,
                        serverProperties.toString()),
                Map.of(),
                logFile.toAbsolutePath());
        LocalKafka kafka = new LocalKafka(dir, temporary, clientPort, controllerPort, process);
        kafka.launch();
        return kafka;
    }

    private static String serverProperties(Path logDir, int port, int controllerPort, int partitions) {
        return String.join(
                System.lineSeparator(),
                "# Written by io.ascall.local.LocalKafka: a single-node KRaft broker for the local environment",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + Ports.HOST + ":" + controllerPort,
                "listeners=PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":"
                        + controllerPort,
                "advertised.listeners=PLAINTEXT://" + Ports.HOST + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDir,
                "auto.create.topics.enable=true",
                "num.partitions=" + partitions,
                "# one broker: internal topics cannot have more replicas",
                "offsets.topic.replication.factor=1",
                "offsets.topic.min.isr=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "# fewer partitions than the default 50: the first consumer group and transaction start faster",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.num.partitions=5",
                "# a consumer group gets its partitions at once, not after 3 s of waiting for more members",
                "group.initial.rebalance.delay.ms=0",
                "# after a crash (kill) the controller refuses the restarted broker until the session of the",
                "# old one expires: 4 s instead of the default 9 s makes crash tests that much faster",
                "broker.heartbeat.interval.ms=1000",
                "broker.session.timeout.ms=4000",
                "");
    }

    private void launch() {
        long offset = owned().start();
        LogTail.Follower follower = new LogTail.Follower(process.logFile(), offset, STARTED_LINE);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!follower.seen()) {
                Integer exitCode = process.exitCode();
                if (exitCode != null) {
                    throw new IllegalStateException("The Kafka broker (port " + port + ", data " + dataDir
                            + ") exited with code " + exitCode + " while starting"
                            + LogTail.describe(process.logFile(), LOG_TAIL_LINES));
                }
                if (System.nanoTime() > deadline) {
                    process.kill();
                    throw new IllegalStateException("The Kafka broker (port " + port + ", data " + dataDir
                            + ") did not start within " + READY_TIMEOUT.toSeconds() + " s"
                            + LogTail.describe(process.logFile(), LOG_TAIL_LINES));
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            process.kill();
            throw new UncheckedIOException("Cannot read the Kafka broker log " + process.logFile(), e);
        } catch (InterruptedException e) {
            process.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the Kafka broker was starting", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code kafka.bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where the broker logs; {@code null} for a broker started by another class loader. */
    public Path logFile() {
        return process == null ? null : process.logFile();
    }

    public boolean isRunning() {
        return process == null || process.isAlive();
    }

    /** Stops the broker cleanly (SIGTERM), killing it if it has not stopped after 30 s. */
    public void stop() {
        owned().stop(STOP_TIMEOUT);
    }

    /** Kills the broker at once (SIGKILL), as a crash would: for fault tests. */
    public void kill() {
        owned().kill();
    }

    /**
     * Starts the broker again on the same data folder and ports (stopping it cleanly first if it
     * runs), and waits until it serves clients: clients see a broker that went away and came back.
     */
    public void restart() {
        stop();
        launch();
    }

    /** Stops the broker; deletes its data if it was temporary. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        stop();
        if (temporary) {
            Folders.deleteRecursively(dataDir);
        }
    }

    private ChildProcess owned() {
        if (process == null) {
            throw new UnsupportedOperationException("This Kafka broker was started by another class loader of this JVM"
                    + " and is shared by every test: start a LocalKafka of your own to stop, kill or restart one");
        }
        return process;
    }

    @Override
    public String toString() {
        return "LocalKafka[" + bootstrapServers() + ", controller port " + controllerPort + ", data " + dataDir + "]";
    }
}
