package io.ascall.call.service;

import io.ascall.call.Call;
import io.ascall.call.idempotency.StoredAnswer;

/** What became of a customer's request for a repair engineer ({@link CallIntake#take}). */
public sealed interface IntakeOutcome {

    /** The call is taken and its fee paid (a resumed call may have moved on since). */
    record Created(Call call) implements IntakeOutcome {}

    /** The card was declined: the call is PAYMENT_FAILED. */
    record Declined(Call call) implements IntakeOutcome {}

    /**
     * payment-service was unavailable. The call is still REQUESTED when a retry with the same
     * {@code Idempotency-Key} can resume it, or PAYMENT_FAILED when nothing can (no key).
     */
    record Unavailable(Call call) implements IntakeOutcome {}

    /** A retry of a finished request: its first answer, as stored. */
    record Replayed(StoredAnswer answer) implements IntakeOutcome {}

    /** Another request with this {@code Idempotency-Key} is running right now; nothing was done. */
    record InProgress() implements IntakeOutcome {}

    /** The {@code Idempotency-Key} was first used with another request; nothing was done. */
    record KeyReused() implements IntakeOutcome {}
}
