package io.ascall.messaging;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends to the service's dead-letter topic an event that was parked, and so acknowledged long
 * ago, and then turned out never to be applicable: the channel's own dead-letter strategy only
 * sees the record being processed. Same topic and the same {@code dead-letter-reason} header.
 */
@ApplicationScoped
public class DeadLetters {

    private final MutinyEmitter<String> deadLetters;

    public DeadLetters(@Channel("dead-letters") MutinyEmitter<String> deadLetters) {
        this.deadLetters = deadLetters;
    }

    public Uni<Void> send(EventEnvelope event, String topic, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", reason.getBytes(UTF_8));
        headers.add("dead-letter-topic", topic.getBytes(UTF_8));
        headers.add("event-type", event.type().getBytes(UTF_8));
        headers.add("event-id", event.eventId().toString().getBytes(UTF_8));
        return deadLetters.sendMessage(Message.of(event.json().toString())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(event.callId().toString())
                        .withHeaders(headers)
                        .build()));
    }
}
