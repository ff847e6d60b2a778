package io.ascall.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

    @TempDir
    Path folder;

    @Test
    void servesClientsSurvivesACrashAndKeepsItsData() throws Exception {
        Path data = folder.resolve("kafka");
        Path log = folder.resolve("kafka.log");
        String topic = "round-trip";
        int port;
        try (LocalKafka kafka = LocalKafka.start(data, 0, log)) {
            port = kafka.port();
            assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
            KafkaRoundTrip.produce(kafka.bootstrapServers(), topic, "before the crash");
            assertEquals(List.of("before the crash"), KafkaRoundTrip.consume(kafka.bootstrapServers(), topic, 1));

            kafka.kill();
            assertFalse(kafka.isRunning());
            kafka.restart();
            assertTrue(kafka.isRunning());
            assertEquals(port, kafka.port(), "a restart keeps the port clients know");

            KafkaRoundTrip.produce(kafka.bootstrapServers(), topic, "after the restart");
            assertEquals(
                    List.of("before the crash", "after the restart"),
                    KafkaRoundTrip.consume(kafka.bootstrapServers(), topic, 2));
        }
        // a new broker on the same folder (other ports) has the same topics and records
        try (LocalKafka kafka = LocalKafka.start(data, 0, log)) {
            assertEquals(
                    List.of("before the crash", "after the restart"),
                    KafkaRoundTrip.consume(kafka.bootstrapServers(), topic, 2));
            assertTrue(Files.readString(log).contains("Kafka Server started"));
        }
        assertTrue(Files.isDirectory(data.resolve("data")), "the data folder is kept");
    }
}
