package io.ascall.payment.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.ascall.payment.config.PaymentConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/**
 * A card gateway for local runs and tests, selected by {@code payment.gateway.type=simulated}.
 * <ul>
 * <li>Decision: a customer whose id starts with {@code payment.gateway.simulated.decline-customer-prefix}
 * (default {@code declined-}) is declined with reason {@value #DECLINE_REASON}; every other charge is approved.</li>
 * <li>Idempotency: charges are kept by reference in the table {@code gateway_charge}, like a real
 * gateway's ledger that survives a restart; a repeated reference returns the first outcome and
 * only counts the request, so a resumed charge never charges twice.</li>
 * <li>Latency: every answer is delayed by {@code payment.gateway.simulated.latency} without
 * blocking a thread; the charge is recorded first, so a slow answer is an answer whose money is
 * already taken, as with a real gateway that is slow to reply. With
 * {@code decides-after-latency}, a charge is decided and recorded only after the latency, also when
 * payment-service stopped waiting: a gateway that takes the money late, after a refund (answered
 * at once in that mode) was told there is none.</li>
 * </ul>
 * The ledger goes through its own connection, never in a payment transaction, as a remote
 * system's would.
 */
@ApplicationScoped
@Typed(SimulatedCardGateway.class)
public class SimulatedCardGateway implements CardGateway {

    static final String DECLINE_REASON = "card declined (simulated)";

    private static final String CHARGE = """
            INSERT INTO gateway_charge (reference, customer_id, amount, currency, outcome, decline_reason, charged_at)
            VALUES ($1, $2, $3, $4, $5, $6, now())
            ON CONFLICT (reference) DO UPDATE SET requests = gateway_charge.requests + 1
            RETURNING outcome, decline_reason""";

    private static final String REFUND = """
            UPDATE gateway_charge SET refunded_at = coalesce(refunded_at, now())
            WHERE reference = $1 AND outcome = 'APPROVED'
            RETURNING reference""";

    private final Pool ledger;
    private final String declinePrefix;
    private final Duration latency;
    private final boolean decidesAfterLatency;

    public SimulatedCardGateway(Pool ledger, PaymentConfig config) {
        this.ledger = ledger;
        this.declinePrefix = config.gateway().simulated().declineCustomerPrefix();
        this.latency = config.gateway().simulated().latency();
        this.decidesAfterLatency = config.gateway().simulated().decidesAfterLatency();
    }

    @Override
    public Uni<GatewayResult> charge(ChargeRequest request) {
        boolean declined = request.customerId().startsWith(declinePrefix);
        Tuple values = Tuple.tuple()
                .addString(request.reference())
                .addString(request.customerId())
                .addLong(request.amount())
                .addString(request.currency())
                .addString(declined ? "DECLINED" : "APPROVED")
                .addString(declined ? DECLINE_REASON : null);
        Uni<GatewayResult> decision = ledger.preparedQuery(CHARGE)
                .execute(values)
                .map(rows -> toResult(rows.iterator().next()));
        if (decidesAfterLatency && !latency.isZero()) {
            // started now and carried through whatever the caller does: a caller that gives up
            // (its timeout cancels its subscription) does not stop the gateway
            CompletableFuture<GatewayResult> decided = Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(latency)
                    .chain(() -> decision)
                    .subscribeAsCompletionStage();
            return Uni.createFrom().completionStage(decided.copy());
        }
        return afterLatency(decision);
    }

    @Override
    public Uni<RefundOutcome> refund(RefundRequest request) {
        Uni<RefundOutcome> outcome = ledger.preparedQuery(REFUND)
                .execute(Tuple.of(request.reference()))
                .map(rows -> rows.rowCount() == 0 ? RefundOutcome.NO_CHARGE : RefundOutcome.REFUNDED);
        // a gateway that decides charges late answers refunds at once: "no charge" while one is pending
        return decidesAfterLatency ? outcome : afterLatency(outcome);
    }

    /** Mutiny refuses a zero delay, and no latency is the default. */
    private <T> Uni<T> afterLatency(Uni<T> answer) {
        return latency.isZero() ? answer : answer.onItem().delayIt().by(latency);
    }

    private static GatewayResult toResult(Row row) {
        return "APPROVED".equals(row.getString("outcome"))
                ? GatewayResult.approvedCharge()
                : GatewayResult.declinedCharge(row.getString("decline_reason"));
    }
}
