package io.ascall.call.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.client.FeeCollector;
import io.ascall.call.client.PaymentOutcome;
import io.ascall.call.config.FeeSchedule;
import io.ascall.call.idempotency.IdempotencyKeys;
import io.ascall.call.idempotency.KeyClaim;
import io.ascall.call.idempotency.StoredAnswer;
import io.ascall.call.messaging.CallEvents;
import io.ascall.call.metrics.CallMetrics;
import io.ascall.events.FailureReason;
import io.ascall.messaging.AfterCommit;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Takes a customer's call: stores it, has its visit fee charged synchronously through
 * payment-service, and tells what became of it ({@link IntakeOutcome}); how that is answered
 * over HTTP is the rest layer's business. The database transaction is never held open while
 * payment-service is asked: the call is committed first (REQUESTED), the outcome recorded after.
 *
 * <p>Every step is published through the outbox in the transaction that takes it: CallRequested
 * with the new call, then CallPaid or CallPaymentFailed.
 *
 * <p>Without an {@code Idempotency-Key}, a call whose payment could not be completed is closed at
 * once (PAYMENT_FAILED; payment-service voids any payment for it on CallPaymentFailed), since no
 * retry can find it again. With a key, it stays
 * REQUESTED and a retry with the same key resumes it: payment-service charges at most once per
 * call, so the retry learns what happened to the first attempt instead of paying twice.
 */
@ApplicationScoped
public class CallIntake {

    private static final Logger LOG = Logger.getLogger(CallIntake.class);

    private final FeeSchedule fees;
    private final CallEvents events;
    private final FeeCollector feeCollector;
    private final IdempotencyKeys keys;
    private final ObjectMapper json;
    private final CallMetrics metrics;
    private final Clock clock;

    public CallIntake(
            FeeSchedule fees,
            CallEvents events,
            FeeCollector feeCollector,
            IdempotencyKeys keys,
            ObjectMapper json,
            CallMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.fees = fees;
        this.events = events;
        this.feeCollector = feeCollector;
        this.keys = keys;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param idempotencyKey the client's key, or null
     * @param replayable how the caller answers a final outcome (Created, Declined): kept with the
     *            key in the transaction that records the outcome, so that a retry with the same
     *            key gets exactly that answer back ({@link IntakeOutcome.Replayed})
     */
    public Uni<IntakeOutcome> take(
            NewCall order, String idempotencyKey, Function<IntakeOutcome, StoredAnswer> replayable) {
        Instant now = clock.instant();
        Call draft = Call.request(
                order.customerId(),
                order.applianceType(),
                order.region(),
                order.address(),
                order.description(),
                fees.feeFor(order.applianceType()),
                fees.currency(),
                now);
        Context requestContext = Vertx.currentContext();
        return AfterCommit.transaction(() -> start(draft, order, idempotencyKey, now))
                .chain(started -> started instanceof Started.Answered answered
                        ? Uni.createFrom().item(answered.outcome())
                        : charge(((Started.Charge) started).call(), idempotencyKey, replayable, requestContext));
    }

    private sealed interface Started {
        record Charge(Call call) implements Started {}

        record Answered(IntakeOutcome outcome) implements Started {}
    }

    private Uni<Started> start(Call draft, NewCall order, String key, Instant now) {
        if (key == null) {
            return create(draft);
        }
        return keys.claim(key, fingerprint(json, order), draft.id, now).chain(claim -> {
            if (claim instanceof KeyClaim.Fresh) {
                return create(draft);
            }
            if (claim instanceof KeyClaim.Resume resume) {
                return Call.<Call>findById(resume.callId()).map(Started.Charge::new);
            }
            IntakeOutcome answered = claim instanceof KeyClaim.Replay replay
                    ? new IntakeOutcome.Replayed(replay.answer())
                    : claim instanceof KeyClaim.InProgress
                            ? new IntakeOutcome.InProgress()
                            : new IntakeOutcome.KeyReused();
            return Uni.createFrom().item(new Started.Answered(answered));
        });
    }

    private Uni<Started> create(Call draft) {
        metrics.transitioned(draft, null);
        return draft.<Call>persist()
                .chain(() -> events.record(draft, draft.requested()))
                .replaceWith(new Started.Charge(draft));
    }

    private Uni<IntakeOutcome> charge(
            Call call, String key, Function<IntakeOutcome, StoredAnswer> replayable, Context requestContext) {
        Uni<PaymentOutcome> outcome = call.status == CallStatus.REQUESTED
                ? feeCollector.collect(call, key != null ? key : call.id.toString())
                : Uni.createFrom().nullItem();
        return outcome
                // The breaker's timeout may complete on another thread; the session needs the request's context.
                .emitOn(task -> requestContext.runOnContext(ignored -> task.run()))
                .chain(result -> AfterCommit.transaction(
                        () -> Call.forChange(call.id).chain(current -> record(current, result, key, replayable))));
    }

    private Uni<IntakeOutcome> record(
            Call call, PaymentOutcome outcome, String key, Function<IntakeOutcome, StoredAnswer> replayable) {
        Instant now = clock.instant();
        Uni<Void> published = Uni.createFrom().voidItem();
        if (call.status == CallStatus.REQUESTED && outcome != null) {
            if (outcome instanceof PaymentOutcome.Approved approved) {
                published = events.record(call, call.paymentApproved(approved.paymentId(), now));
            } else if (outcome instanceof PaymentOutcome.Declined declined) {
                published = events.record(call, call.paymentDeclined(declined.paymentId(), declined.reason(), now));
            } else if (key == null) {
                // Unavailable, and no retry can find this call again: close it now.
                published = events.record(call, call.paymentUnavailable(now));
            }
            if (call.status != CallStatus.REQUESTED) {
                metrics.transitioned(call, CallStatus.REQUESTED);
            }
            LOG.infof("Call %s: payment %s -> %s", call.id, outcome, call.status);
        }
        return published.chain(() -> settle(call, key, replayable, now));
    }

    /** The outcome, and what the key keeps of it: its answer, or nothing while it may be resumed. */
    private Uni<IntakeOutcome> settle(
            Call call, String key, Function<IntakeOutcome, StoredAnswer> replayable, Instant now) {
        IntakeOutcome outcome = outcomeOf(call);
        if (key == null) {
            return Uni.createFrom().item(outcome);
        }
        Uni<Void> keyDone;
        if (!(outcome instanceof IntakeOutcome.Unavailable)) {
            keyDone = keys.complete(key, replayable.apply(outcome));
        } else if (call.status == CallStatus.REQUESTED) {
            keyDone = keys.releaseLease(key, now);
        } else {
            keyDone = keys.forget(key);
        }
        return keyDone.replaceWith(outcome);
    }

    private static IntakeOutcome outcomeOf(Call call) {
        if (call.status == CallStatus.REQUESTED
                || (call.status == CallStatus.PAYMENT_FAILED
                        && call.failureReason == FailureReason.PAYMENT_UNAVAILABLE)) {
            return new IntakeOutcome.Unavailable(call);
        }
        if (call.status == CallStatus.PAYMENT_FAILED) {
            return new IntakeOutcome.Declined(call);
        }
        return new IntakeOutcome.Created(call);
    }

    /**
     * The same request in another JSON layout is still the same request: hash its parsed form.
     * The {@code "POST /calls"} wrapper is what the stored keys' fingerprints were made with.
     */
    static String fingerprint(ObjectMapper json, NewCall order) {
        try {
            byte[] canonical = json.writeValueAsBytes(Map.of("POST /calls", order));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint the request", e);
        }
    }
}
