package io.ascall.warmup;

import io.smallrye.mutiny.Uni;

/**
 * One of a service's hot paths, rehearsed at start-up before the service reports ready
 * ({@link WarmUpGate}). A rehearsal must change nothing anyone can see: database work runs in
 * {@link Rehearsal#rolledBack}, and nothing is sent to another service.
 */
public interface WarmUp {

    /** What is rehearsed, for the log and the readiness data. */
    String name();

    /** Runs the path once; called on a Vert.x context where Hibernate Reactive may open sessions. */
    Uni<Void> rehearse();
}
