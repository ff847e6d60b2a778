package io.ascall.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The payment's status table: every allowed step, and that everything else is refused. */
class PaymentStatusTest {

    private static final Set<String> ALLOWED =
            Set.of("PENDING->APPROVED", "PENDING->DECLINED", "PENDING->VOIDED", "APPROVED->REFUNDED");

    private final Instant now = Instant.parse("2025-01-01T10:00:00Z");

    @Test
    void onlyTheDesignedStepsAreAllowed() {
        for (PaymentStatus from : PaymentStatus.values()) {
            for (PaymentStatus to : PaymentStatus.values()) {
                assertEquals(ALLOWED.contains(from + "->" + to), from.canMoveTo(to), from + "->" + to);
            }
        }
    }

    @Test
    void aPaymentTakesOnlyTheStepsOfTheTable() {
        Payment refunded = Payment.pending(UUID.randomUUID(), "c-1", 30_000, "KRW", null, now);
        refunded.approve(now);
        refunded.refund(now);
        assertEquals(PaymentStatus.REFUNDED, refunded.status());
        PaymentTransitionRefused refused =
                assertThrows(PaymentTransitionRefused.class, () -> refunded.voidPayment("late", now));
        assertEquals("Payment " + refunded.id() + " is REFUNDED and cannot be voided", refused.getMessage());
        assertEquals(PaymentStatus.REFUNDED, refunded.status(), "a refused step changes nothing");

        Payment voided = Payment.voidedTombstone(UUID.randomUUID(), "KRW", "abandoned", now);
        assertThrows(PaymentTransitionRefused.class, () -> voided.approve(now));
        assertThrows(PaymentTransitionRefused.class, () -> voided.decline("x", now));
        assertEquals(PaymentStatus.VOIDED, voided.status());
    }
}
