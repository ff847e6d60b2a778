package io.ascall.events;

import java.time.Instant;
import java.util.UUID;

/** The call was offered to an engineer, who must accept before {@code expiresAt}. */
public record EngineerAssigned(
        @Required UUID assignmentId,
        @Required UUID engineerId,
        @Required String engineerName,
        @Required Instant expiresAt)
        implements AssignmentEvent {}
