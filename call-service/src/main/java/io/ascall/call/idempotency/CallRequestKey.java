package io.ascall.call.idempotency;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A client's {@code Idempotency-Key} for {@code POST /calls}: which call it created, and once the
 * request finished, the answer to replay to a retry.
 */
@Entity
@Table(name = "call_request_key")
public class CallRequestKey extends PanacheEntityBase {

    public enum State {
        /** A request holds the key until {@link #lockedUntil}; after that a retry may take it over. */
        IN_PROGRESS,
        /** The answer is final and stored. */
        COMPLETED
    }

    @Id
    @Column(name = "idempotency_key")
    public String key;

    /** SHA-256 of the request body, to tell a retry from a different request reusing the key. */
    @Column(nullable = false)
    public String fingerprint;

    @Column(name = "call_id", nullable = false)
    public UUID callId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "locked_until", nullable = false)
    public Instant lockedUntil;

    @Column(name = "response_status")
    public Integer responseStatus;

    @Column(name = "response_content_type")
    public String responseContentType;

    @Column(name = "response_body")
    public String responseBody;

    @Column(name = "response_location")
    public String responseLocation;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
