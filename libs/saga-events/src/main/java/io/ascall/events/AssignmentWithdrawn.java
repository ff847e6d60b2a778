package io.ascall.events;

import java.util.UUID;

/** The call was cancelled; the engineer's offer or dispatch no longer stands. */
public record AssignmentWithdrawn(
        @Required UUID assignmentId, @Required UUID engineerId) implements AssignmentEvent {}
