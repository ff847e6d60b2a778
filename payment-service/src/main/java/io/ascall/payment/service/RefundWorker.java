package io.ascall.payment.service;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.ascall.payment.config.PaymentConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gives back the money of payments whose refund is due ({@code payment.refund_due_at}): asked for
 * by a call-events step inside the inbox's transaction, which must not wait for the gateway, or
 * left due by a void or charge whose gateway call failed or whose process died. Runs every
 * {@code payment.refunds.poll-interval} without blocking a thread, and asks the gateway the way
 * a void does ({@link PaymentService#settleRefund}): outside any transaction, by reference, so
 * asking again never refunds twice.
 *
 * <p>Safe with several replicas: a single statement takes up the due refunds that no other
 * replica is taking up ({@code FOR UPDATE SKIP LOCKED}) and pushes their due time
 * {@code payment.refunds.retry-delay} ahead, so no other replica takes them up meanwhile, and a
 * failed one is tried again after that delay. A refund stays due until the gateway's answer is
 * recorded.
 */
@ApplicationScoped
public class RefundWorker {

    private static final Logger LOG = Logger.getLogger(RefundWorker.class);

    private static final String TAKE_UP_DUE = """
            UPDATE payment SET refund_due_at = $2
            WHERE id IN (SELECT id FROM payment WHERE refund_due_at <= $1
                         ORDER BY refund_due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING id""";

    private final Pool pool;
    private final PaymentService service;
    private final PaymentConfig.Refunds config;
    private final Clock clock;

    public RefundWorker(Pool pool, PaymentService service, PaymentConfig config, Clock clock) {
        this.pool = pool;
        this.service = service;
        this.config = config.refunds();
        this.clock = clock;
    }

    @Scheduled(every = "${payment.refunds.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> settleDueRefunds() {
        return takeUpDue()
                .onItem()
                .transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem()
                .transformToUniAndConcatenate(this::settle)
                .collect()
                .last()
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> LOG.warnf("Refund round failed, the next one retries: %s", e.toString()))
                .onFailure()
                .recoverWithNull();
    }

    /** @return the payments whose refund this replica now makes */
    Uni<List<UUID>> takeUpDue() {
        Instant now = clock.instant();
        return pool.preparedQuery(TAKE_UP_DUE)
                .execute(Tuple.of(
                        now.atOffset(ZoneOffset.UTC),
                        now.plus(config.retryDelay()).atOffset(ZoneOffset.UTC),
                        config.batchSize()))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID("id"));
                    }
                    return ids;
                });
    }

    /** One payment's refund; a failure (already logged with its cause) leaves it due for the next try. */
    private Uni<Void> settle(UUID paymentId) {
        return service.settleRefund(paymentId)
                .invoke(payment -> LOG.debugf("Payment %s: due refund settled, now %s", paymentId, payment.status()))
                .onFailure()
                .invoke(e -> LOG.infof(
                        "Payment %s: refund still due, retried in %s: %s",
                        paymentId, config.retryDelay(), e.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
