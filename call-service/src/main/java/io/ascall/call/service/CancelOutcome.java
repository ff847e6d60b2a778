package io.ascall.call.service;

import io.ascall.call.Call;

/** What became of a customer's cancellation ({@link CallCancellation#cancelByCustomer}). */
public sealed interface CancelOutcome {

    /** The call is cancelled: now, or it was already. */
    record Cancelled(Call call) implements CancelOutcome {}

    /** There is no such call. */
    record NotFound() implements CancelOutcome {}

    /** Too late: the call is past what a cancellation allows (an engineer is dispatched); nothing changed. */
    record Refused(Call call) implements CancelOutcome {}
}
