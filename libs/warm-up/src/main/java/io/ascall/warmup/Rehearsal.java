package io.ascall.warmup;

import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Runs database work for real, then rolls it back: its statements, rows, locks and NOTIFYs never commit. */
public final class Rehearsal {

    private Rehearsal() {}

    public static Uni<Void> rolledBack(Supplier<Uni<?>> work) {
        return Panache.withTransaction(() -> Panache.currentTransaction()
                .invoke(transaction -> transaction.markForRollback())
                .chain(ignored -> work.get())
                .replaceWithVoid());
    }
}
