package io.ascall.payment.service;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.ascall.payment.Payment;
import io.ascall.payment.PaymentStatus;
import io.ascall.payment.config.PaymentConfig;
import io.ascall.payment.gateway.CardGateway;
import io.ascall.payment.gateway.ChargeRequest;
import io.ascall.payment.gateway.GatewayResult;
import io.ascall.payment.gateway.RefundRequest;
import io.ascall.payment.problem.PaymentProblemType;
import io.ascall.payment.repository.PaymentRepository;
import io.ascall.problem.Problem;
import io.ascall.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Takes, voids and refunds the visit fee of calls. A payment is first registered PENDING in its
 * own transaction; the gateway is then asked to charge it outside any transaction (it is a remote
 * call), with the payment id as idempotency reference; its decision is recorded in a second
 * transaction. Whatever dies in between, a later retry resumes with the same reference, and a
 * void always wins: money taken for a voided payment is given back.
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);

    /** The first request's charge attempt may be about to finish: ask the client to come back soon. */
    private static final Duration RETRY_IN_PROGRESS = Duration.ofSeconds(1);

    private static final Duration RETRY_UNAVAILABLE = Duration.ofSeconds(5);

    private final PaymentTransactions transactions;
    private final PaymentRepository payments;
    private final CardGateway gateway;
    private final PaymentConfig config;

    public PaymentService(
            PaymentTransactions transactions, PaymentRepository payments, CardGateway gateway, PaymentConfig config) {
        this.transactions = transactions;
        this.payments = payments;
        this.gateway = gateway;
        this.config = config;
    }

    /**
     * Takes the fee of the order's call, once per call: a repeated order returns the call's
     * payment (resuming its charge if the attempt that started it died).
     */
    public Uni<PaymentOutcome> pay(PaymentOrder order) {
        return transactions
                .register(order)
                .onFailure(UniqueViolation::test)
                .recoverWithUni(() -> transactions
                        .findByCallId(order.callId())
                        .onItem()
                        .ifNull()
                        .failWith(() -> inProgress(order.callId()))
                        .map(PaymentOutcome::existing))
                .chain(registered -> registered.created()
                        ? charge(registered.payment()).map(PaymentOutcome::created)
                        : answerRepeatedOrder(registered.payment(), order));
    }

    /**
     * Voids the call's payment as a client asks ({@link PaymentTransactions#voidRequested}): a
     * PENDING one becomes VOIDED, an APPROVED one whose refund the saga made due is refunded (any
     * other APPROVED one is refused, 409), a missing one is replaced by a VOIDED tombstone. A voided payment's charge may still land at
     * the gateway (in flight, or sent by an attempt that died): the void asks the gateway to give
     * back whatever it holds for the payment, and the attempt in flight does the same if its
     * charge is approved later. Idempotent: voiding again changes nothing, except that it asks
     * the gateway again while a voided payment's refund is not recorded. The refund is recorded
     * as due with the void, so when the gateway fails (503), {@link RefundWorker} still makes it.
     */
    public Uni<Payment> voidCall(UUID callId, String reason) {
        return transactions
                .voidRequested(callId, reason)
                .onFailure(UniqueViolation::test)
                .recoverWithUni(() -> transactions.voidRequested(callId, reason))
                .invoke(payment -> logDecision(payment, "void requested"))
                .chain(payment -> payment.isRefundDueOnVoid()
                        ? refund(payment)
                        : Uni.createFrom().item(payment));
    }

    /**
     * Gives back the money of a payment whose refund is due, as a void does: the gateway is asked
     * outside any transaction (with the payment id as reference, so asking again never refunds
     * twice), and its answer recorded in a transaction of its own. For {@link RefundWorker}: fails
     * when the gateway does, leaving the refund due.
     */
    public Uni<Payment> settleRefund(UUID paymentId) {
        return transactions
                .findById(paymentId)
                .chain(payment -> payment.isRefundDueOnVoid()
                        ? refund(payment)
                        : Uni.createFrom().item(payment));
    }

    @WithSession
    public Uni<Payment> findById(UUID id) {
        return payments.findById(id);
    }

    @WithSession
    public Uni<Payment> findByCallId(UUID callId) {
        return payments.findByCallId(callId);
    }

    /** A page of the customer's payments, newest first, and how many there are in all. */
    @WithSession
    public Uni<CustomerPayments> findByCustomer(String customerId, int page, int size) {
        return payments.pageByCustomer(customerId, page, size)
                .chain(items -> payments.countByCustomer(customerId).map(total -> new CustomerPayments(items, total)));
    }

    public record CustomerPayments(List<Payment> items, long total) {}

    private Uni<PaymentOutcome> answerRepeatedOrder(Payment payment, PaymentOrder order) {
        if (payment.status() == PaymentStatus.VOIDED) {
            return Uni.createFrom().failure(voided(payment));
        }
        if (!payment.matches(order.customerId(), order.amount())) {
            return Uni.createFrom().failure(mismatch(payment));
        }
        if (payment.status() != PaymentStatus.PENDING) {
            return Uni.createFrom().item(PaymentOutcome.existing(payment));
        }
        return transactions.claimChargeAttempt(payment.id()).chain(claim -> {
            if (claim.claimed()) {
                LOG.infof("Payment %s of call %s: resuming a stale charge attempt", payment.id(), payment.callId());
                return charge(claim.payment()).map(PaymentOutcome::existing);
            }
            if (claim.payment().status() == PaymentStatus.PENDING) {
                return Uni.createFrom().failure(inProgress(payment.callId()));
            }
            return answerRepeatedOrder(claim.payment(), order);
        });
    }

    /** Charges a PENDING payment whose charge attempt this request holds, and records the decision. */
    private Uni<Payment> charge(Payment payment) {
        ChargeRequest request =
                new ChargeRequest(payment.id().toString(), payment.customerId(), payment.amount(), payment.currency());
        return callGateway(() -> gateway.charge(request))
                .onFailure()
                .call(() -> transactions.releaseChargeAttempt(payment.id()))
                .onFailure()
                .transform(failure -> unavailable(payment, "charge", failure))
                .chain((GatewayResult result) -> transactions.recordCharge(payment.id(), result))
                .invoke(recorded -> logDecision(recorded, "charge answered"))
                .chain(recorded -> recorded.isRefundOwed()
                        ? refundVoidedCharge(recorded)
                        : Uni.createFrom().item(recorded))
                .invoke(settled -> {
                    if (settled.status() == PaymentStatus.VOIDED) {
                        throw voided(settled);
                    }
                });
    }

    /**
     * The payment was voided while the gateway was charging it: give the money back now. If the
     * gateway fails, the owed refund stays due on the payment, and {@link RefundWorker} makes it;
     * the answer is the same either way: the payment is voided.
     */
    private Uni<Payment> refundVoidedCharge(Payment payment) {
        return refund(payment).onFailure().recoverWithItem(failure -> {
            LOG.warnf(
                    "Payment %s of call %s: voided while charging and approved; refund failed, still owed: %s",
                    payment.id(), payment.callId(), failure.getMessage());
            return payment;
        });
    }

    private Uni<Payment> refund(Payment payment) {
        return callGateway(() -> gateway.refund(new RefundRequest(payment.id().toString())))
                .onFailure()
                .transform(failure -> unavailable(payment, "refund", failure))
                .chain(outcome -> switch (outcome) {
                    case REFUNDED ->
                        transactions.recordRefund(payment.id()).invoke(refunded -> logDecision(refunded, "refunded"));
                    case NO_CHARGE ->
                        payment.status() == PaymentStatus.APPROVED || payment.chargedAt() != null
                                ? Uni.createFrom()
                                        .failure(new IllegalStateException("The gateway holds no charge for payment "
                                                + payment.id() + ", which took money"))
                                : transactions.recordNoCharge(payment.id());
                });
    }

    /**
     * A remote call: bounded by the gateway timeout, and its answer (which may come on any
     * thread, e.g. a timer's) brought back to this request's Vert.x context, where Hibernate
     * Reactive requires the following transactions to run.
     */
    private <T> Uni<T> callGateway(Supplier<Uni<? extends T>> call) {
        Context context = Vertx.currentContext();
        return Uni.createFrom()
                .deferred(call)
                .ifNoItem()
                .after(config.gateway().timeout())
                .fail()
                .emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private static void logDecision(Payment payment, String event) {
        LOG.infof(
                "Payment %s of call %s: %s, now %s%s%s",
                payment.id(),
                payment.callId(),
                event,
                payment.status(),
                payment.declineReason() == null ? "" : " (" + payment.declineReason() + ")",
                payment.refundedAt() == null ? "" : ", refunded at " + payment.refundedAt());
    }

    private static ProblemException voided(Payment payment) {
        return Problem.of(
                        PaymentProblemType.PAYMENT_VOIDED,
                        "The payment of call " + payment.callId()
                                + " was voided: the call was abandoned; start a new call")
                .with("paymentId", payment.id())
                .toException();
    }

    private static ProblemException mismatch(Payment payment) {
        return Problem.of(
                        PaymentProblemType.PAYMENT_MISMATCH,
                        "Call " + payment.callId() + " already has a payment with another customer or amount")
                .with("paymentId", payment.id())
                .toException();
    }

    private static ProblemException inProgress(UUID callId) {
        return Problem.of(
                        PaymentProblemType.REQUEST_IN_PROGRESS,
                        "The payment of call " + callId + " is being charged; retry shortly")
                .retryAfter(RETRY_IN_PROGRESS)
                .toException();
    }

    private ProblemException unavailable(Payment payment, String operation, Throwable failure) {
        LOG.warnf(
                "Payment %s of call %s: the card gateway failed to %s: %s",
                payment.id(), payment.callId(), operation, failure.toString());
        return Problem.of(
                        PaymentProblemType.PAYMENT_UNAVAILABLE,
                        "The card gateway did not complete the " + operation
                                + "; retry later: the payment is resumed, never taken twice")
                .retryAfter(RETRY_UNAVAILABLE)
                .toException();
    }
}
