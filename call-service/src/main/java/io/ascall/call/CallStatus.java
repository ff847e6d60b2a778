package io.ascall.call;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a call is in its life, and the one place that says which step may follow which.
 *
 * <pre>
 * REQUESTED ──► PAID ──► ENGINEER_ASSIGNED ──► DISPATCHED ──► COMPLETED
 *     │           │        │      ▲   │
 *     │           │        └──────┘   │  (an offer rejected or expired: back to PAID until
 *     ▼           ▼                   ▼   the next engineer is offered the call)
 * PAYMENT_FAILED  CANCELLED ◄─────────┘
 * </pre>
 *
 * A call is cancelled (and refunded) only before an engineer is dispatched.
 */
public enum CallStatus {
    REQUESTED,
    PAYMENT_FAILED,
    PAID,
    ENGINEER_ASSIGNED,
    DISPATCHED,
    COMPLETED,
    CANCELLED;

    private Set<CallStatus> next() {
        return switch (this) {
            case REQUESTED -> EnumSet.of(PAID, PAYMENT_FAILED);
            case PAID -> EnumSet.of(ENGINEER_ASSIGNED, CANCELLED);
            case ENGINEER_ASSIGNED -> EnumSet.of(DISPATCHED, PAID, CANCELLED);
            case DISPATCHED -> EnumSet.of(COMPLETED);
            case PAYMENT_FAILED, COMPLETED, CANCELLED -> EnumSet.noneOf(CallStatus.class);
        };
    }

    public boolean canMoveTo(CallStatus target) {
        return next().contains(target);
    }

    public boolean isFinal() {
        return next().isEmpty();
    }

    /** The statuses a call never leaves. */
    public static Set<CallStatus> finals() {
        Set<CallStatus> finals = EnumSet.noneOf(CallStatus.class);
        for (CallStatus status : values()) {
            if (status.isFinal()) {
                finals.add(status);
            }
        }
        return finals;
    }
}
