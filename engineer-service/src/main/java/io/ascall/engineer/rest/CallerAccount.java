package io.ascall.engineer.rest;

import java.util.UUID;

import io.ascall.engineer.Engineer;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
import io.ascall.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Which engineer a request acts as: the record linked to its token's subject
 * ({@link Engineer#accountId}). An engineer never names themselves in a request; what they may see
 * and answer follows from this link alone.
 *
 * <p>The caller is read when a request starts ({@link #of}), not inside the database steps that
 * follow.
 */
record CallerAccount(boolean operator, String account) {

    /** Said of an account no engineer record is linked to, on {@code /engineers/me} and on an answer. */
    static final String NO_ENGINEER = "No engineer is registered for this account: an operator registers you first";

    /** Who is calling: their account (the token's subject), and whether they are an operator, who reads everything. */
    static CallerAccount of(Caller caller) {
        return new CallerAccount(caller.isOperator(), caller.subject());
    }

    /** The engineer linked to the caller's account; null when there is none. Needs a session. */
    Uni<Engineer> engineer() {
        return Engineer.<Engineer>find("accountId", account).firstResult();
    }

    /**
     * The id of the engineer linked to the caller's account, who is acting on an assignment: a 403
     * when there is none (an engineer to the identity provider, but not to this service). Needs a
     * session.
     */
    Uni<UUID> actingEngineer() {
        return engineerId()
                .onItem()
                .ifNull()
                .failWith(() ->
                        Problem.of(CommonProblemType.FORBIDDEN, NO_ENGINEER).toException());
    }

    /** Whether the caller may read this engineer's record: an operator, or the engineer linked to it. */
    boolean mayRead(Engineer engineer) {
        return operator || engineer.accountId.equals(account);
    }

    /** Whether the caller may read what belongs to this engineer (their assignments). Needs a session. */
    Uni<Boolean> mayReadOf(UUID engineerId) {
        if (operator) {
            return Uni.createFrom().item(true);
        }
        return engineerId().map(engineerId::equals);
    }

    private Uni<UUID> engineerId() {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                                "select e.id from Engineer e where e.accountId = ?1", UUID.class)
                        .setParameter(1, account)
                        .getSingleResultOrNull());
    }
}
