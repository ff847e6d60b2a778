package io.ascall.events;

import java.util.UUID;

/** The engineer accepted the offer and is dispatched to the customer. */
public record AssignmentAccepted(
        @Required UUID assignmentId, @Required UUID engineerId) implements AssignmentEvent {}
