package io.ascall.engineer;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a call is in engineer-service's part of the saga, and the one place that says which state
 * may follow which.
 *
 * <pre>
 * AWAITING_PAYMENT ──► OFFERED ──► DISPATCHED ──► COMPLETED
 *   │   │                │ ▲ │          │
 *   │   │                └─┘ │          │   (rejected or expired: offered to the next engineer)
 *   │   ▼                    ▼          │
 *   │  PAYMENT_FAILED   NO_ENGINEER     │
 *   │                        │          │
 *   └──────────────────► CANCELLED ◄────┘   (from AWAITING_PAYMENT, OFFERED, DISPATCHED, NO_ENGINEER)
 * </pre>
 *
 * A call is offered only once paid, never after its payment failed or it was cancelled, and to
 * nobody once no engineer was left.
 */
public enum DispatchState {
    /** The call is known (CallRequested), its fee not yet paid. */
    AWAITING_PAYMENT,
    /** One engineer has an open offer. */
    OFFERED,
    /** An engineer accepted and is on the way. */
    DISPATCHED,
    COMPLETED,
    /** Every suitable engineer was offered the call and none took it. */
    NO_ENGINEER,
    /** The call was cancelled; whatever an engineer held was withdrawn. */
    CANCELLED,
    /** The call's payment failed: it is never offered. */
    PAYMENT_FAILED;

    private Set<DispatchState> next() {
        return switch (this) {
            case AWAITING_PAYMENT -> EnumSet.of(OFFERED, NO_ENGINEER, PAYMENT_FAILED, CANCELLED);
            case OFFERED -> EnumSet.of(OFFERED, DISPATCHED, NO_ENGINEER, CANCELLED);
            case DISPATCHED -> EnumSet.of(COMPLETED, CANCELLED);
            case NO_ENGINEER -> EnumSet.of(CANCELLED);
            case COMPLETED, CANCELLED, PAYMENT_FAILED -> EnumSet.noneOf(DispatchState.class);
        };
    }

    public boolean canMoveTo(DispatchState target) {
        return next().contains(target);
    }

    public boolean isFinal() {
        return next().isEmpty();
    }
}
