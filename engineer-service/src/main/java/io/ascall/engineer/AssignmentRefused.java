package io.ascall.engineer;

import java.util.UUID;

/**
 * An engineer's action that the assignment does not allow: an offer that expired or was
 * withdrawn, completing before accepting, or (never from the API, which answers someone else's
 * offer as no assignment, 404, before it gets here) another engineer's offer. Answered with 409;
 * nothing changes.
 */
public class AssignmentRefused extends RuntimeException {

    public AssignmentRefused(UUID assignmentId, String reason) {
        super("Assignment " + assignmentId + ": " + reason);
    }
}
