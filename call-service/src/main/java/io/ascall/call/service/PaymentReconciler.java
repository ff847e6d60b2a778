package io.ascall.call.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.client.FeeCollector;
import io.ascall.call.config.CallConfig;
import io.ascall.call.idempotency.IdempotencyKeys;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the promise that a call which failed for want of payment-service leaves nothing charged:
 * <ol>
 * <li>closes calls still REQUESTED long after their request (its process died, or a client never
 * retried an unavailable payment) as PAYMENT_FAILED;</li>
 * <li>asks payment-service to void the payment of every such call until it confirms; a void is
 * safe to repeat, so several replicas doing this at once do no harm;</li>
 * <li>deletes idempotency keys past their retention.</li>
 * </ol>
 */
@ApplicationScoped
public class PaymentReconciler {

    private static final Logger LOG = Logger.getLogger(PaymentReconciler.class);

    private final FeeCollector feeCollector;
    private final IdempotencyKeys keys;
    private final CallConfig.Payment config;
    private final Clock clock;

    public PaymentReconciler(FeeCollector feeCollector, IdempotencyKeys keys, CallConfig config, Clock clock) {
        this.feeCollector = feeCollector;
        this.keys = keys;
        this.config = config.payment();
        this.clock = clock;
    }

    @Scheduled(every = "${call.payment.reconcile-every}", delayed = "${call.payment.reconcile-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcile() {
        return closeAbandoned()
                .chain(this::voidPending)
                .chain(() -> Panache.withTransaction(() -> keys.deleteExpired(clock.instant())))
                .onFailure().invoke(e -> LOG.warnf("Payment reconciliation round failed, next round retries: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    Uni<Void> closeAbandoned() {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> Call.<Call>find("status = ?1 and statusChangedAt < ?2 order by statusChangedAt",
                CallStatus.REQUESTED, now.minus(config.abandonAfter()))
                .page(0, config.reconcileBatch()).list()
                .invoke(calls -> calls.forEach(call -> {
                    LOG.infof("Call %s abandoned in REQUESTED since %s: closing it, its payment will be voided",
                            call.id, call.statusChangedAt);
                    call.paymentUnavailable(now);
                })))
                .replaceWithVoid();
    }

    Uni<Void> voidPending() {
        return Panache.withSession(() -> Call.<Call>find("paymentVoidPending = true order by updatedAt")
                .page(0, config.reconcileBatch()).list())
                .map(calls -> calls.stream().map(call -> call.id).toList())
                .chain(this::voidEach);
    }

    private Uni<Void> voidEach(List<UUID> callIds) {
        return Multi.createFrom().iterable(callIds)
                .onItem().transformToUniAndConcatenate(callId -> feeCollector.voidPayment(callId)
                        .chain(() -> Panache.withTransaction(() -> Call.<Call>findById(callId)
                                .invoke(call -> call.paymentVoided(clock.instant()))))
                        .invoke(() -> LOG.infof("Call %s: payment voided", callId))
                        .onFailure().invoke(e -> LOG.warnf("Call %s: void not confirmed yet (%s)", callId, e.toString()))
                        .onFailure().recoverWithNull())
                .collect().last()
                .replaceWithVoid();
    }
}
