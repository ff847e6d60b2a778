package io.ascall.events;

import java.util.UUID;

/** The engineer rejected the offer; the next suitable engineer is offered the call. */
public record AssignmentRejected(
        @Required UUID assignmentId, @Required UUID engineerId) implements AssignmentEvent {}
