package io.ascall.events;

/** Why a call was cancelled. Its fee is refunded either way. */
public enum CancellationReason {
    /** The customer cancelled before an engineer was dispatched. */
    CUSTOMER,
    /** Every suitable engineer was offered the call and none took it. */
    NO_ENGINEER
}
