package io.ascall.call.idempotency;

import java.time.Instant;
import java.util.UUID;

import io.ascall.call.config.CallConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rules of {@code Idempotency-Key} on {@code POST /calls} (IETF draft, Stripe's practice):
 * the same key and body replay the first answer; another body is refused; a retry while the
 * first request runs is refused; a key whose request died is taken over after its lease.
 * Every method runs inside the caller's transaction.
 */
@ApplicationScoped
public class IdempotencyKeys {

    private final CallConfig.Idempotency config;

    public IdempotencyKeys(CallConfig config) {
        this.config = config.idempotency();
    }

    /**
     * Claims the key for a request that will create call {@code newCallId}. The insert is atomic:
     * of two concurrent requests with one key, the second waits for the first's transaction and
     * then sees its row.
     */
    public Uni<KeyClaim> claim(String key, String fingerprint, UUID newCallId, Instant now) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                insert into call_request_key
                  (idempotency_key, fingerprint, call_id, state, locked_until, created_at, expires_at)
                values (?1, ?2, ?3, 'IN_PROGRESS', ?4, ?5, ?6)
                on conflict (idempotency_key) do nothing""")
                        .setParameter(1, key)
                        .setParameter(2, fingerprint)
                        .setParameter(3, newCallId)
                        .setParameter(4, now.plus(config.lease()))
                        .setParameter(5, now)
                        .setParameter(6, now.plus(config.retention()))
                        .executeUpdate())
                .chain(inserted ->
                        inserted == 1 ? Uni.createFrom().item(new KeyClaim.Fresh()) : existing(key, fingerprint, now));
    }

    private Uni<KeyClaim> existing(String key, String fingerprint, Instant now) {
        return CallRequestKey.<CallRequestKey>findById(key).chain(stored -> {
            if (!stored.fingerprint.equals(fingerprint)) {
                return Uni.createFrom().item(new KeyClaim.Mismatch());
            }
            if (stored.state == CallRequestKey.State.COMPLETED) {
                return Uni.createFrom()
                        .item(new KeyClaim.Replay(new StoredAnswer(
                                stored.responseStatus,
                                stored.responseContentType,
                                stored.responseBody,
                                stored.responseLocation)));
            }
            if (stored.lockedUntil.isAfter(now)) {
                return Uni.createFrom().item(new KeyClaim.InProgress());
            }
            return CallRequestKey.update(
                            "lockedUntil = ?1 where key = ?2 and state = ?3 and lockedUntil <= ?4",
                            now.plus(config.lease()),
                            key,
                            CallRequestKey.State.IN_PROGRESS,
                            now)
                    .map(taken -> taken == 1 ? new KeyClaim.Resume(stored.callId) : new KeyClaim.InProgress());
        });
    }

    /** Stores the final answer for replay. */
    public Uni<Void> complete(String key, StoredAnswer answer) {
        return CallRequestKey.<CallRequestKey>findById(key)
                .invoke(stored -> {
                    stored.state = CallRequestKey.State.COMPLETED;
                    stored.responseStatus = answer.status();
                    stored.responseContentType = answer.contentType();
                    stored.responseBody = answer.body();
                    stored.responseLocation = answer.location();
                })
                .replaceWithVoid();
    }

    /**
     * Ends this request's hold on the key without an answer to replay (payment-service was
     * unavailable): a retry with the same key resumes the same call at once.
     */
    public Uni<Void> releaseLease(String key, Instant now) {
        return CallRequestKey.update("lockedUntil = ?1 where key = ?2", now, key)
                .replaceWithVoid();
    }

    /** Forgets the key: its call was closed without an answer to replay, so a retry starts a new call. */
    public Uni<Void> forget(String key) {
        return CallRequestKey.deleteById(key).replaceWithVoid();
    }

    /** Deletes the keys past their retention. */
    public Uni<Long> deleteExpired(Instant now) {
        return CallRequestKey.delete("expiresAt < ?1", now);
    }
}
