package io.ascall.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.events.ApplianceType;
import io.ascall.events.CallCancelled;
import io.ascall.events.CallPaid;
import io.ascall.events.CallPaymentFailed;
import io.ascall.events.CallRequested;
import io.ascall.events.CancellationReason;
import io.ascall.events.FailureReason;

/** The call's state machine: every allowed step, and that everything else is refused. */
class CallStatusTest {

    private static final Set<String> ALLOWED = Set.of(
            "REQUESTED->PAID",
            "REQUESTED->PAYMENT_FAILED",
            "PAID->ENGINEER_ASSIGNED",
            "PAID->CANCELLED",
            "ENGINEER_ASSIGNED->DISPATCHED",
            "ENGINEER_ASSIGNED->PAID",
            "ENGINEER_ASSIGNED->CANCELLED",
            "DISPATCHED->COMPLETED");

    @Test
    void onlyTheDesignedStepsAreAllowed() {
        for (CallStatus from : CallStatus.values()) {
            for (CallStatus to : CallStatus.values()) {
                assertEquals(ALLOWED.contains(from + "->" + to), from.canMoveTo(to), from + "->" + to);
            }
        }
    }

    @Test
    void finalStatusesHaveNoWayOut() {
        for (CallStatus status : CallStatus.values()) {
            assertEquals(
                    EnumSet.of(CallStatus.PAYMENT_FAILED, CallStatus.COMPLETED, CallStatus.CANCELLED)
                            .contains(status),
                    status.isFinal(),
                    status.name());
        }
    }

    @Test
    void aPaidCallCannotBePaidOrDeclinedAgain() {
        Call call = Call.request("c-1", ApplianceType.TV, "seoul", "1 Sejong-daero", null, 35000, "KRW", Instant.now());
        UUID payment = UUID.randomUUID();
        call.paymentApproved(payment, Instant.now());
        assertEquals(CallStatus.PAID, call.status);

        CallTransitionRefused refused = assertThrows(
                CallTransitionRefused.class, () -> call.paymentDeclined(UUID.randomUUID(), "late", Instant.now()));
        assertTrue(refused.getMessage().contains("PAID"));
        assertThrows(CallTransitionRefused.class, () -> call.paymentUnavailable(Instant.now()));
        assertEquals(CallStatus.PAID, call.status, "a refused step changes nothing");
        assertEquals(payment, call.paymentId);
    }

    @Test
    void anUnavailablePaymentClosesTheCall() {
        Call call =
                Call.request("c-2", ApplianceType.OVEN, "busan", "2 Haeundae-ro", null, 25000, "KRW", Instant.now());
        call.paymentUnavailable(Instant.now());
        assertEquals(CallStatus.PAYMENT_FAILED, call.status);
        assertEquals(FailureReason.PAYMENT_UNAVAILABLE, call.failureReason);
    }

    @Test
    void eachStepTheSagaHearsOfReturnsItsEvent() {
        Call call =
                Call.request("c-4", ApplianceType.WASHER, "seoul", "4 Yulgok-ro", "noisy", 30000, "KRW", Instant.now());
        assertEquals(
                new CallRequested("c-4", ApplianceType.WASHER, "seoul", "4 Yulgok-ro", "noisy", 30000, "KRW"),
                call.requested());
        UUID payment = UUID.randomUUID();
        assertEquals(new CallPaid(payment), call.paymentApproved(payment, Instant.now()));
        assertEquals(
                new CallCancelled(CancellationReason.NO_ENGINEER),
                call.cancel(CancellationReason.NO_ENGINEER, Instant.now()));

        Call declined =
                Call.request("c-5", ApplianceType.TV, "seoul", "5 Yulgok-ro", null, 35000, "KRW", Instant.now());
        UUID refusedPayment = UUID.randomUUID();
        assertEquals(
                new CallPaymentFailed(FailureReason.PAYMENT_DECLINED, refusedPayment, "card declined"),
                declined.paymentDeclined(refusedPayment, "card declined", Instant.now()));

        Call unavailable =
                Call.request("c-6", ApplianceType.TV, "seoul", "6 Yulgok-ro", null, 35000, "KRW", Instant.now());
        assertEquals(
                new CallPaymentFailed(FailureReason.PAYMENT_UNAVAILABLE, null, null),
                unavailable.paymentUnavailable(Instant.now()));
    }

    @Test
    void assignmentEventsMustConcernTheStandingOffer() {
        Call call = Call.request("c-3", ApplianceType.TV, "seoul", "3 Jong-ro", null, 35000, "KRW", Instant.now());
        call.paymentApproved(UUID.randomUUID(), Instant.now());
        UUID offer = UUID.randomUUID();
        call.engineerAssigned(offer, UUID.randomUUID(), "Lee", Instant.now());
        assertThrows(CallTransitionRefused.class, () -> call.dispatched(UUID.randomUUID(), Instant.now()));
        call.offerEnded(offer, Instant.now());
        assertEquals(CallStatus.PAID, call.status);
        assertFalse(call.followsAssignment(offer));
        assertEquals(1, call.offersMade);
        call.cancel(CancellationReason.CUSTOMER, Instant.now());
        assertTrue(call.status.isFinal());
        assertThrows(
                CallTransitionRefused.class,
                () -> call.engineerAssigned(offer, UUID.randomUUID(), "Lee", Instant.now()));
    }
}
