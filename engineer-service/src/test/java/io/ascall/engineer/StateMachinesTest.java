package io.ascall.engineer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ascall.events.ApplianceType;

/** The rules of assignments and dispatches: every allowed step, and that everything else is refused. */
class StateMachinesTest {

    private static final Set<String> ASSIGNMENT_STEPS = Set.of(
            "OFFERED->ACCEPTED",
            "OFFERED->REJECTED",
            "OFFERED->EXPIRED",
            "OFFERED->WITHDRAWN",
            "ACCEPTED->COMPLETED",
            "ACCEPTED->WITHDRAWN");

    private static final Set<String> DISPATCH_STEPS = Set.of(
            "AWAITING_PAYMENT->OFFERED",
            "AWAITING_PAYMENT->NO_ENGINEER",
            "AWAITING_PAYMENT->PAYMENT_FAILED",
            "AWAITING_PAYMENT->CANCELLED",
            "OFFERED->OFFERED",
            "OFFERED->DISPATCHED",
            "OFFERED->NO_ENGINEER",
            "OFFERED->CANCELLED",
            "DISPATCHED->COMPLETED",
            "DISPATCHED->CANCELLED",
            "NO_ENGINEER->CANCELLED");

    private final Instant now = Instant.parse("2026-03-02T01:00:00Z");
    private final Engineer engineer =
            Engineer.register("kim-account", "Kim", "seoul", List.of(ApplianceType.WASHER), now);
    private final Dispatch call =
            Dispatch.requested(UUID.randomUUID(), "alice", ApplianceType.WASHER, "seoul", "1 Sejong-daero", null, now);

    @Test
    void onlyTheDesignedAssignmentStepsAreAllowed() {
        for (AssignmentStatus from : AssignmentStatus.values()) {
            for (AssignmentStatus to : AssignmentStatus.values()) {
                assertEquals(ASSIGNMENT_STEPS.contains(from + "->" + to), from.canMoveTo(to), from + "->" + to);
            }
            assertEquals(
                    EnumSet.of(AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED)
                            .contains(from),
                    from.isOpen());
        }
    }

    @Test
    void onlyTheDesignedDispatchStepsAreAllowed() {
        for (DispatchState from : DispatchState.values()) {
            for (DispatchState to : DispatchState.values()) {
                assertEquals(DISPATCH_STEPS.contains(from + "->" + to), from.canMoveTo(to), from + "->" + to);
            }
        }
        assertEquals(
                EnumSet.of(DispatchState.COMPLETED, DispatchState.CANCELLED, DispatchState.PAYMENT_FAILED),
                EnumSet.copyOf(List.of(DispatchState.values()).stream()
                        .filter(DispatchState::isFinal)
                        .toList()));
    }

    @Test
    void onlyTheOfferedEngineerMayAnswer() {
        Assignment offer = Assignment.offer(call, engineer, now, Duration.ofMinutes(2));
        UUID someoneElse = UUID.randomUUID();
        assertThrows(AssignmentRefused.class, () -> offer.accept(someoneElse, now));
        assertThrows(AssignmentRefused.class, () -> offer.reject(someoneElse, now));
        assertThrows(AssignmentRefused.class, () -> offer.complete(someoneElse, now));
        assertEquals(AssignmentStatus.OFFERED, offer.status);
    }

    @Test
    void repeatingASuccessfulAnswerChangesNothing() {
        Assignment offer = Assignment.offer(call, engineer, now, Duration.ofMinutes(2));
        assertTrue(offer.accept(engineer.id, now.plusSeconds(10)).isPresent());
        assertFalse(offer.accept(engineer.id, now.plusSeconds(20)).isPresent());
        assertEquals(now.plusSeconds(10), offer.respondedAt);
        assertTrue(offer.complete(engineer.id, now.plusSeconds(30)).isPresent());
        assertFalse(offer.complete(engineer.id, now.plusSeconds(40)).isPresent());
        assertEquals(now.plusSeconds(30), offer.completedAt);
        assertThrows(AssignmentRefused.class, () -> offer.accept(engineer.id, now.plusSeconds(50)));
    }

    @Test
    void anOfferPastItsDeadlineCannotBeTakenOnlyExpired() {
        Assignment offer = Assignment.offer(call, engineer, now, Duration.ofMinutes(2));
        Instant deadline = now.plus(Duration.ofMinutes(2));
        assertThrows(AssignmentRefused.class, () -> offer.expire(deadline.minusMillis(1)));
        assertThrows(AssignmentRefused.class, () -> offer.accept(engineer.id, deadline));
        assertThrows(AssignmentRefused.class, () -> offer.reject(engineer.id, deadline));
        assertEquals(AssignmentStatus.OFFERED, offer.status);
        offer.expire(deadline);
        assertEquals(AssignmentStatus.EXPIRED, offer.status);
        assertThrows(AssignmentRefused.class, offer::withdraw);
    }

    @Test
    void aRefusedDispatchStepChangesNothing() {
        call.paymentFailed(now);
        assertThrows(DispatchTransitionRefused.class, () -> call.offered(now.plusSeconds(1)));
        assertEquals(DispatchState.PAYMENT_FAILED, call.state);
        assertEquals(0, call.offersMade);
        assertEquals(now, call.stateChangedAt);
    }

    @Test
    void reofferingCountsOffersButKeepsTheStateSince() {
        call.offered(now);
        call.offered(now.plusSeconds(120));
        assertEquals(2, call.offersMade);
        assertEquals(DispatchState.OFFERED, call.state);
        assertEquals(now, call.stateChangedAt);
        assertEquals(now.plusSeconds(120), call.updatedAt);
    }
}
