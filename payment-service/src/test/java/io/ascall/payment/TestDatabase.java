package io.ascall.payment;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import io.ascall.payment.repository.PaymentRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** What the tests look at behind the API: the payment table, the simulated gateway's ledger and the inbox. */
@ApplicationScoped
public class TestDatabase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Pool pool;
    private final PaymentRepository payments;

    public TestDatabase(Pool pool, PaymentRepository payments) {
        this.pool = pool;
        this.payments = payments;
    }

    public long paymentCount() {
        return single("SELECT count(*) FROM payment", Tuple.tuple()).getLong(0);
    }

    /** How many charges the gateway holds for the customer (each test uses customers of its own). */
    public long gatewayCharges(String customerId) {
        return single("SELECT count(*) FROM gateway_charge WHERE customer_id = $1", Tuple.of(customerId))
                .getLong(0);
    }

    /** The gateway's record of the charge with this reference (the payment id), or null. */
    public Row gatewayCharge(UUID paymentId) {
        RowSet<Row> rows = pool.preparedQuery("SELECT * FROM gateway_charge WHERE reference = $1")
                .execute(Tuple.of(paymentId.toString()))
                .await()
                .atMost(WAIT);
        return rows.rowCount() == 0 ? null : rows.iterator().next();
    }

    /** Records an approved charge at the gateway, as an attempt that died before recording its answer left it. */
    public void chargeAtGateway(Payment payment) {
        pool.preparedQuery("""
                INSERT INTO gateway_charge (reference, customer_id, amount, currency, outcome, charged_at)
                VALUES ($1, $2, $3, $4, 'APPROVED', now())""")
                .execute(Tuple.of(payment.id().toString(), payment.customerId(), payment.amount(), payment.currency()))
                .await()
                .atMost(WAIT);
    }

    /** The last event of the source about the call that the inbox applied (0: none yet). */
    public long lastAppliedSequence(String source, UUID callId) {
        RowSet<Row> rows = pool.preparedQuery(
                        "SELECT last_sequence FROM event_stream WHERE source = $1 AND call_id = $2")
                .execute(Tuple.of(source, callId))
                .await()
                .atMost(WAIT);
        return rows.rowCount() == 0 ? 0 : rows.iterator().next().getLong(0);
    }

    /** Stores a payment through the repository, as a crashed instance would have left it. */
    public void insert(Payment payment) {
        onContext(() -> Panache.withTransaction(() -> payments.persist(payment)));
    }

    public Payment find(UUID paymentId) {
        return onContext(() -> Panache.withSession(() -> payments.findById(paymentId)));
    }

    private Row single(String sql, Tuple values) {
        return pool.preparedQuery(sql)
                .execute(values)
                .await()
                .atMost(WAIT)
                .iterator()
                .next();
    }

    /** Hibernate Reactive runs only on a Vert.x context, which a test thread is not. */
    private static <T> T onContext(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
