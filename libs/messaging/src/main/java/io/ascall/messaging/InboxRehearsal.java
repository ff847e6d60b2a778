package io.ascall.messaging;

import java.time.Clock;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

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

    private final Inbox inbox;
    private final Clock clock;

    InboxRehearsal(Inbox inbox, Clock clock) {
        this.inbox = inbox;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "inbox";
    }

    @Override
    public Uni<Void> rehearse() {
        EventEnvelope event = new EventEnvelope(
                UUID.randomUUID(),
                "WarmUp",
                UUID.randomUUID(),
                clock.instant(),
                "warm-up",
                1,
                JsonNodeFactory.instance.objectNode());
        return Rehearsal.rolledBack(
                () -> inbox.passOver(event, "warm-up").chain(() -> inbox.passOver(event, "warm-up")));
    }
}
