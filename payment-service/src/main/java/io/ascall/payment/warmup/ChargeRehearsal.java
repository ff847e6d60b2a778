package io.ascall.payment.warmup;

import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.payment.Payment;
import io.ascall.payment.gateway.GatewayResult;
import io.ascall.payment.repository.PaymentRepository;
import io.ascall.payment.rest.PaymentResponse;
import io.ascall.payment.service.PaymentOrder;
import io.ascall.payment.service.PaymentTransactions;
import io.ascall.warmup.Rehearsal;
import io.ascall.warmup.WarmUp;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The database side of POST /payments and of the reads, rolled back: a payment registered
 * PENDING, its approval recorded with its PaymentApproved, listed for its customer and written as
 * JSON. The card gateway is not asked: it would charge.
 */
@ApplicationScoped
class ChargeRehearsal implements WarmUp {

    private static final String NOBODY = "warm-up";

    private final PaymentTransactions transactions;
    private final PaymentRepository payments;
    private final ObjectMapper json;

    ChargeRehearsal(PaymentTransactions transactions, PaymentRepository payments, ObjectMapper json) {
        this.transactions = transactions;
        this.payments = payments;
        this.json = json;
    }

    @Override
    public String name() {
        return "charge";
    }

    @Override
    public Uni<Void> rehearse() {
        return Rehearsal.rolledBack(() -> transactions
                .register(new PaymentOrder(UUID.randomUUID(), NOBODY, 1000, null))
                .chain(registered ->
                        transactions.recordCharge(registered.payment().id(), GatewayResult.approvedCharge()))
                .chain(() -> payments.pageByCustomer(NOBODY, 0, 20))
                .invoke(page -> page.forEach(this::write)));
    }

    private void write(Payment payment) {
        try {
            json.writeValueAsBytes(PaymentResponse.from(payment));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
