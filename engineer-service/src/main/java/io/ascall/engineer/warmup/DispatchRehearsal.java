package io.ascall.engineer.warmup;

import java.util.UUID;

import io.ascall.engineer.saga.DispatchSaga;
import io.ascall.events.ApplianceType;
import io.ascall.events.CallRequested;
import io.ascall.warmup.Rehearsal;
import io.ascall.warmup.WarmUp;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The saga's hot path, rolled back: a call requested, then paid, which runs the matching query
 * for it (in a region no engineer serves, so nobody is offered anything) and records its
 * NoEngineerAvailable in the outbox, all undone.
 */
@ApplicationScoped
class DispatchRehearsal implements WarmUp {

    private static final String NOWHERE = "warm-up";

    private final DispatchSaga saga;

    DispatchRehearsal(DispatchSaga saga) {
        this.saga = saga;
    }

    @Override
    public String name() {
        return "dispatch";
    }

    @Override
    public Uni<Void> rehearse() {
        UUID call = UUID.randomUUID();
        return Rehearsal.rolledBack(() -> saga.callRequested(
                        call, new CallRequested(NOWHERE, ApplianceType.WASHER, NOWHERE, NOWHERE, null, 1000, "KRW"))
                .chain(Panache::flush)
                .chain(() -> saga.callPaid(call))
                .chain(Panache::flush));
    }
}
