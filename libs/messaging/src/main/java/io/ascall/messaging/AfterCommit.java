package io.ascall.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Transactions whose side effects outside the database (a metric counted) happen once, and only
 * if they commit. Counting inside the transaction would count twice what is rolled back and
 * applied again: a run of events in which one failed is applied again without it, a step that
 * lost a race is retried.
 *
 * <p>The actions are kept on the Vert.x context of the transaction (each request and each poll
 * of a channel has its own, and runs its transactions one after the other on it).
 */
public final class AfterCommit {

    private static final Logger LOG = Logger.getLogger(AfterCommit.class);
    private static final String ACTIONS = AfterCommit.class.getName();

    private AfterCommit() {}

    /**
     * {@link Panache#withTransaction} that runs the actions {@link #run registered} in it once
     * the transaction has committed. Nested in another, it joins that one, whose commit runs them.
     * It cannot see the commit of a transaction opened around it by plain {@link Panache#withTransaction}
     * (its actions would run before that one ends): the outermost transaction must be this one.
     */
    public static <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                throw new IllegalStateException("A transaction needs a Vert.x context");
            }
            if (context.getLocal(ACTIONS) != null) {
                return Panache.withTransaction(work);
            }
            List<Runnable> actions = new ArrayList<>();
            context.putLocal(ACTIONS, actions);
            return Panache.withTransaction(work)
                    .onTermination()
                    .invoke(() -> context.removeLocal(ACTIONS))
                    .invoke(() -> actions.forEach(AfterCommit::runQuietly));
        });
    }

    /** An action that fails must not turn a committed transaction into a failed one (to be retried). */
    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "An action after a commit failed");
        }
    }

    /**
     * Runs the action after the commit of the current {@link #transaction}. Outside one it
     * fails: an action with no transaction to follow is a mistake of the caller.
     */
    public static void run(Runnable action) {
        Context context = Vertx.currentContext();
        List<Runnable> actions = context == null ? null : context.getLocal(ACTIONS);
        if (actions == null) {
            throw new IllegalStateException("AfterCommit.run outside AfterCommit.transaction");
        }
        actions.add(action);
    }
}
