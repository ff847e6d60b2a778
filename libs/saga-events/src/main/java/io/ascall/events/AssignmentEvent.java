package io.ascall.events;

import java.util.UUID;

/** An event about one offer of a call to one engineer (an assignment): all carry both ids. */
public sealed interface AssignmentEvent extends EngineerEvent
        permits EngineerAssigned,
                AssignmentAccepted,
                AssignmentRejected,
                AssignmentExpired,
                AssignmentWithdrawn,
                ServiceCompleted {

    UUID assignmentId();

    UUID engineerId();
}
