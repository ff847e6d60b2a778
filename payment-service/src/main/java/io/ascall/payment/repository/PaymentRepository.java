package io.ascall.payment.repository;

import java.util.List;
import java.util.UUID;

import io.ascall.payment.Payment;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Payments by id, by call and by customer. Callers open the session or transaction. */
@ApplicationScoped
public class PaymentRepository implements PanacheRepositoryBase<Payment, UUID> {

    public Uni<Payment> findByCallId(UUID callId) {
        return find("callId", callId).firstResult();
    }

    /** Reads the call's payment with a row lock held until the transaction ends. */
    public Uni<Payment> lockByCallId(UUID callId) {
        return find("callId", callId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Reads the payment with a row lock held until the transaction ends. */
    public Uni<Payment> lockById(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** A page of the customer's payments, newest first. */
    public Uni<List<Payment>> pageByCustomer(String customerId, int page, int size) {
        return find("customerId", Sort.descending("createdAt").and("id"), customerId)
                .page(Page.of(page, size))
                .list();
    }

    public Uni<Long> countByCustomer(String customerId) {
        return count("customerId", customerId);
    }
}
