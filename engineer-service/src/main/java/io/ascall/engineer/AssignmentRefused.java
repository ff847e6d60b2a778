package io.ascall.engineer;

import java.util.UUID;

/**
 * An engineer's action that the assignment does not allow: someone else's offer, an offer that
 * expired or was withdrawn, completing before accepting. Answered with 409; nothing changes.
 */
public class AssignmentRefused extends RuntimeException {

    public AssignmentRefused(UUID assignmentId, String reason) {
        super("Assignment " + assignmentId + ": " + reason);
    }
}
