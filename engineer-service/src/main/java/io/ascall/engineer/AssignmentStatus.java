package io.ascall.engineer;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one offer of a call to one engineer stands, and the one place that says which status may
 * follow which.
 *
 * <pre>
 * OFFERED ──► ACCEPTED ──► COMPLETED
 *    │           │
 *    ├──► REJECTED (the engineer said no)
 *    ├──► EXPIRED  (no answer before expiresAt)
 *    └──► WITHDRAWN ◄┘ (the call was cancelled)
 * </pre>
 */
public enum AssignmentStatus {
    OFFERED,
    ACCEPTED,
    REJECTED,
    EXPIRED,
    WITHDRAWN,
    COMPLETED;

    private Set<AssignmentStatus> next() {
        return switch (this) {
            case OFFERED -> EnumSet.of(ACCEPTED, REJECTED, EXPIRED, WITHDRAWN);
            case ACCEPTED -> EnumSet.of(COMPLETED, WITHDRAWN);
            case REJECTED, EXPIRED, WITHDRAWN, COMPLETED -> EnumSet.noneOf(AssignmentStatus.class);
        };
    }

    public boolean canMoveTo(AssignmentStatus target) {
        return next().contains(target);
    }

    /** Open: the engineer holds the call (offered or dispatched); it counts towards their load. */
    public boolean isOpen() {
        return this == OFFERED || this == ACCEPTED;
    }

    public boolean isFinal() {
        return next().isEmpty();
    }
}
