package io.ascall.call.messaging;

import io.ascall.call.Call;
import io.ascall.events.CallEvent;
import io.ascall.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The facts call-service publishes about its calls (topic {@code call-events}, docs/asyncapi.yaml):
 * the events {@link Call}'s methods return, each recorded in the outbox inside the transaction that
 * made the change it reports.
 */
@ApplicationScoped
public class CallEvents {

    private final Outbox outbox;

    public CallEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> record(Call call, CallEvent event) {
        return outbox.record(call.id, event);
    }
}
