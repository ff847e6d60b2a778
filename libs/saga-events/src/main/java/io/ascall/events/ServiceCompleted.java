package io.ascall.events;

import java.util.UUID;

/** The engineer has done the repair. */
public record ServiceCompleted(
        @Required UUID assignmentId, @Required UUID engineerId) implements AssignmentEvent {}
