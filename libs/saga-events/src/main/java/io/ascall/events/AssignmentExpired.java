package io.ascall.events;

import java.util.UUID;

/** The engineer let the offer expire; the next suitable engineer is offered the call. */
public record AssignmentExpired(
        @Required UUID assignmentId, @Required UUID engineerId) implements AssignmentEvent {}
