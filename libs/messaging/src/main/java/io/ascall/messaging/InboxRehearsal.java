package io.ascall.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.warmup.Rehearsal;
import io.ascall.warmup.WarmUp;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The inbox's statements for a received event, rolled back: an event of a call no one has taken
 * its place in order, then is seen again as a duplicate. (The steps of each event type are the
 * services' own and are not rehearsed: they would act on calls.)
 */
@ApplicationScoped
class InboxRehearsal implements WarmUp {

    private static final ObjectMapper TREES = new ObjectMapper();

    private final Inbox inbox;

    InboxRehearsal(Inbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public String name() {
        return "inbox";
    }

    @Override
    public Uni<Void> rehearse() {
        EventEnvelope event = EventEnvelope.parse(TREES.createObjectNode()
                .put("eventId", UUID.randomUUID().toString())
                .put("type", "WarmUp")
                .put("callId", UUID.randomUUID().toString())
                .put("occurredAt", Instant.now().toString())
                .put("source", "warm-up")
                .put("sequence", 1)
                .toString());
        return Rehearsal.rolledBack(
                () -> inbox.passOver(event, "warm-up").chain(() -> inbox.passOver(event, "warm-up")));
    }
}
