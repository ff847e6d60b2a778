package io.ascall.call.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.config.CallConfig;
import io.ascall.call.idempotency.IdempotencyKeys;
import io.ascall.call.messaging.CallEvents;
import io.ascall.call.metrics.CallMetrics;
import io.ascall.events.CallPaymentFailed;
import io.ascall.messaging.AfterCommit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Closes calls whose request was abandoned while the fee payment was unsettled: still REQUESTED
 * long after their request (its process died mid-way, or the client never retried an
 * unavailable payment with its Idempotency-Key). Each becomes PAYMENT_FAILED and its
 * CallPaymentFailed event makes payment-service void whatever payment it holds for the call, so
 * no customer stays charged for a call reported as failed. Also deletes idempotency keys past
 * their retention. Safe with several replicas: a call closed by one is no longer REQUESTED for
 * the others (optimistic locking refuses the loser's update).
 */
@ApplicationScoped
public class PaymentReconciler {

    private static final Logger LOG = Logger.getLogger(PaymentReconciler.class);

    private final CallEvents events;
    private final CallMetrics metrics;
    private final IdempotencyKeys keys;
    private final CallConfig.Payment config;
    private final Clock clock;

    public PaymentReconciler(
            CallEvents events, IdempotencyKeys keys, CallMetrics metrics, CallConfig config, Clock clock) {
        this.events = events;
        this.metrics = metrics;
        this.keys = keys;
        this.config = config.payment();
        this.clock = clock;
    }

    @Scheduled(
            every = "${call.payment.reconcile-every}",
            delayed = "${call.payment.reconcile-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcile() {
        return closeAbandoned()
                .chain(() -> Panache.withTransaction(() -> keys.deleteExpired(clock.instant())))
                .onFailure()
                .invoke(e -> LOG.warnf("Payment reconciliation round failed, next round retries: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    Uni<Void> closeAbandoned() {
        Instant now = clock.instant();
        return AfterCommit.transaction(() -> Call.<Call>find(
                        "status = ?1 and statusChangedAt < ?2 order by statusChangedAt",
                        CallStatus.REQUESTED,
                        now.minus(config.abandonAfter()))
                // a replica's round or a late answer of the charge waits, then sees the call closed
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .page(0, config.reconcileBatch())
                .list()
                .chain(calls -> close(calls, now)));
    }

    private Uni<Void> close(List<Call> calls, Instant now) {
        return Multi.createFrom()
                .iterable(calls)
                .onItem()
                .transformToUniAndConcatenate(call -> {
                    LOG.infof(
                            "Call %s abandoned in REQUESTED since %s: closing it; payment-service voids its payment",
                            call.id, call.statusChangedAt);
                    CallPaymentFailed failed = call.paymentUnavailable(now);
                    metrics.transitioned(call, CallStatus.REQUESTED);
                    return events.record(call, failed);
                })
                .collect()
                .last()
                .replaceWithVoid();
    }
}
