package io.ascall.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.events.PaymentApproved;
import io.ascall.events.PaymentDeclined;
import io.ascall.events.PaymentRefunded;
import io.ascall.events.PaymentVoided;

/** The payment's state machine, without a database. */
class PaymentTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(30);
    private final Instant now = Instant.parse("2025-01-01T10:00:00Z");

    private Payment pending() {
        return Payment.pending(UUID.randomUUID(), "c-1", 30_000, "KRW", "key-1", now);
    }

    @Test
    void approvingAPendingPaymentRecordsTheCharge() {
        Payment payment = pending();
        payment.approve(now.plusSeconds(1));
        assertEquals(PaymentStatus.APPROVED, payment.status());
        assertEquals(now.plusSeconds(1), payment.chargedAt());
        assertNull(payment.chargeAttemptStartedAt());
        assertEquals(now.plusSeconds(1), payment.updatedAt());
        assertEquals(now, payment.createdAt());
    }

    @Test
    void eachTransitionTheSagaHearsOfReturnsItsEvent() {
        Payment approved = pending();
        assertEquals(new PaymentApproved(approved.id(), "c-1", 30_000, "KRW"), approved.approve(now));
        approved.requestRefund(now);
        assertEquals(new PaymentRefunded(approved.id(), 30_000, "KRW"), approved.refund(now));

        Payment declined = pending();
        assertEquals(new PaymentDeclined(declined.id(), "card declined"), declined.decline("card declined", now));
        Payment declinedWithoutReason = pending();
        assertEquals(
                new PaymentDeclined(declinedWithoutReason.id(), "declined by the card gateway"),
                declinedWithoutReason.decline(null, now));

        Payment voided = pending();
        assertEquals(new PaymentVoided(voided.id(), false), voided.voidPayment("abandoned", now));
        voided.chargeApprovedAfterVoid(now);
        assertEquals(new PaymentVoided(voided.id(), true), voided.refund(now), "its charge given back");

        Payment tombstone = Payment.voidedTombstone(UUID.randomUUID(), "KRW", "abandoned", now);
        assertEquals(new PaymentVoided(tombstone.id(), false), tombstone.voided());
        assertThrows(PaymentTransitionRefused.class, () -> pending().voided());
    }

    @Test
    void decliningKeepsTheReason() {
        Payment payment = pending();
        payment.decline("card declined", now);
        assertEquals(PaymentStatus.DECLINED, payment.status());
        assertEquals("card declined", payment.declineReason());
        assertNull(payment.chargedAt());
    }

    @Test
    void onlyAPendingPaymentIsApprovedDeclinedOrVoided() {
        Payment approved = pending();
        approved.approve(now);
        assertThrows(PaymentTransitionRefused.class, () -> approved.approve(now));
        assertThrows(PaymentTransitionRefused.class, () -> approved.decline("x", now));
        assertThrows(PaymentTransitionRefused.class, () -> approved.voidPayment("x", now));
        Payment declined = pending();
        declined.decline("x", now);
        assertThrows(PaymentTransitionRefused.class, () -> declined.approve(now));
        assertThrows(PaymentTransitionRefused.class, () -> declined.refund(now));
        assertFalse(declined.isRefundDueOnVoid());
    }

    @Test
    void refundingAnApprovedPaymentMakesItRefundedOnce() {
        Payment payment = pending();
        payment.approve(now);
        assertTrue(payment.isRefundDueOnVoid());
        payment.refund(now.plusSeconds(5));
        assertEquals(PaymentStatus.REFUNDED, payment.status());
        assertEquals(now.plusSeconds(5), payment.refundedAt());
        assertFalse(payment.isRefundDueOnVoid());
        assertThrows(PaymentTransitionRefused.class, () -> payment.refund(now));
    }

    @Test
    void aChargeApprovedAfterTheVoidIsOwedBackAndTheVoidStays() {
        Payment payment = pending();
        payment.voidPayment("call-service timed out", now);
        assertEquals(PaymentStatus.VOIDED, payment.status());
        assertEquals("call-service timed out", payment.voidReason());
        assertFalse(payment.isRefundOwed());

        payment.chargeApprovedAfterVoid(now.plusSeconds(1));
        assertTrue(payment.isRefundOwed());
        assertThrows(PaymentTransitionRefused.class, () -> payment.chargeApprovedAfterVoid(now));

        payment.refund(now.plusSeconds(2));
        assertEquals(PaymentStatus.VOIDED, payment.status());
        assertEquals(now.plusSeconds(2), payment.refundedAt());
        assertFalse(payment.isRefundOwed());
        assertFalse(payment.isRefundDueOnVoid());
    }

    @Test
    void aVoidedChargeWhoseAttemptDiedIsRecordedWhenTheGatewayRefundsIt() {
        Payment payment = pending();
        payment.voidPayment(null, now);
        assertTrue(payment.isRefundDueOnVoid());
        payment.refund(now.plusSeconds(3));
        assertEquals(now.plusSeconds(3), payment.chargedAt());
        assertEquals(now.plusSeconds(3), payment.refundedAt());
        assertEquals(PaymentStatus.VOIDED, payment.status());
    }

    @Test
    void aRequestedRefundStaysDueUntilTheGatewayAnswers() {
        Payment payment = pending();
        assertThrows(PaymentTransitionRefused.class, () -> payment.requestRefund(now));
        payment.approve(now);
        payment.requestRefund(now.plusSeconds(1));
        payment.requestRefund(now.plusSeconds(2));
        assertEquals(now.plusSeconds(1), payment.refundDueAt(), "asking again keeps the first due time");
        assertEquals(PaymentStatus.APPROVED, payment.status());
        payment.refund(now.plusSeconds(3));
        assertNull(payment.refundDueAt());
        assertThrows(PaymentTransitionRefused.class, () -> payment.requestRefund(now));
    }

    @Test
    void aVoidedPaymentWithoutChargeSettlesItsRefundOnlyOnceTheChargeDeadlineHasPassed() {
        Duration deadline = Duration.ofMinutes(5);
        Payment payment = pending();
        payment.voidPayment(null, now);
        payment.requestRefund(now);
        payment.noChargeToRefund(now.plusSeconds(10), deadline);
        assertEquals(now, payment.refundDueAt(), "the charge may still land at the gateway: asked again");
        payment.noChargeToRefund(now.plus(deadline), deadline);
        assertNull(payment.refundDueAt(), "past the deadline nothing can land any more");

        payment.chargeApprovedAfterVoid(now.plusSeconds(1));
        assertEquals(now.plusSeconds(1), payment.refundDueAt(), "a late charge's refund is due at once");
        payment.noChargeToRefund(now.plus(deadline), deadline);
        assertEquals(now.plusSeconds(1), payment.refundDueAt(), "a recorded charge stays due");
    }

    @Test
    void aTombstoneHoldsNoMoneyAndMatchesNoOrder() {
        Payment tombstone = Payment.voidedTombstone(UUID.randomUUID(), "KRW", "never paid", now);
        assertEquals(PaymentStatus.VOIDED, tombstone.status());
        assertNull(tombstone.customerId());
        assertEquals(0, tombstone.amount());
        assertFalse(tombstone.isRefundDueOnVoid());
        assertFalse(tombstone.matches("c-1", 30_000));
        assertThrows(PaymentTransitionRefused.class, () -> tombstone.refund(now));
    }

    @Test
    void aChargeAttemptIsTakenOverOnlyWhenStaleOrReleased() {
        Payment payment = pending();
        assertFalse(payment.claimChargeAttempt(now.plusSeconds(29), TAKEOVER));
        assertTrue(payment.claimChargeAttempt(now.plusSeconds(30), TAKEOVER));
        assertEquals(now.plusSeconds(30), payment.chargeAttemptStartedAt());
        assertFalse(payment.claimChargeAttempt(now.plusSeconds(31), TAKEOVER));

        payment.releaseChargeAttempt(now.plusSeconds(32));
        assertNull(payment.chargeAttemptStartedAt());
        assertTrue(payment.claimChargeAttempt(now.plusSeconds(33), TAKEOVER));

        payment.approve(now.plusSeconds(34));
        assertFalse(payment.claimChargeAttempt(now.plusSeconds(100), TAKEOVER));
    }

    @Test
    void timestampsKeepTheDatabasesMicroseconds() {
        Payment payment = Payment.pending(
                UUID.randomUUID(), "c", 1, "KRW", null, Instant.parse("2025-01-01T10:00:00.123456789Z"));
        assertEquals(Instant.parse("2025-01-01T10:00:00.123456Z"), payment.createdAt());
        assertNotNull(payment.id());
    }
}
