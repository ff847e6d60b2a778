package io.ascall.local.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import org.apache.kafka.common.Uuid;

import kafka.tools.StorageTool;

/**
 * Runs a single-node KRaft Kafka broker in this JVM, for the local environment
 * ({@code io.ascall.local.LocalKafka} starts it as a child process).
 *
 * <p>Usage: {@code KafkaBrokerMain <server.properties>}. It formats the storage named by
 * {@code log.dirs} if it was never formatted, then runs Kafka's own server main.
 *
 * <p>The broker exits as soon as its standard input reaches end of file. The parent process
 * holds the other end of that pipe, and the operating system closes it whenever the parent
 * ends, even by SIGKILL: a test run or {@code deploy/local/up} that dies never leaves an
 * orphaned broker holding its port and data directory.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KafkaBrokerMain <server.properties>");
            System.exit(2);
        }
        exitWhenParentIsGone();
        formatStorageOnce(args[0]);
        // Registers a shutdown hook that shuts the broker down cleanly on SIGTERM and on the
        // System.exit above, then blocks until the broker has stopped.
        kafka.Kafka.main(args);
    }

    private static void exitWhenParentIsGone() {
        Thread watcher = new Thread(
                () -> {
                    drain(System.in);
                    System.out.println(
                            "[ascall] standard input closed (stopped by the launcher, or the launcher is gone): stopping the broker");
                    System.exit(0);
                },
                "ascall-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // nothing is ever sent: the pipe only tells whether the parent is alive
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of file: the parent is gone
        }
    }

    /**
     * A KRaft log directory must be formatted (given a cluster id) before its first start, and
     * only then: formatting again with another cluster id fails, even with {@code --ignore-formatted}.
     */
    private static void formatStorageOnce(String serverProperties) throws IOException {
        if (isFormatted(serverProperties)) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        int exitCode;
        try {
            exitCode = StorageTool.execute(
                    new String[] {
                        "format", "--cluster-id", clusterId, "--config", serverProperties, "--ignore-formatted"
                    },
                    System.out);
        } catch (Exception e) {
            e.printStackTrace();
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.err.println("[ascall] formatting the storage (log.dirs of " + serverProperties
                    + ") failed with exit code " + exitCode);
            System.exit(exitCode);
        }
    }

    /** Whether every folder of {@code log.dirs} holds the {@code meta.properties} formatting writes. */
    private static boolean isFormatted(String serverProperties) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(serverProperties))) {
            properties.load(reader);
        }
        return Arrays.stream(properties.getProperty("log.dirs", "").split(","))
                .map(String::trim)
                .filter(dir -> !dir.isEmpty())
                .allMatch(dir -> Files.isRegularFile(Path.of(dir, "meta.properties")));
    }
}
