package io.ascall.call.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.client.FeeCollector;
import io.ascall.call.client.PaymentOutcome;
import io.ascall.call.config.CallConfig;
import io.ascall.call.config.FeeSchedule;
import io.ascall.call.idempotency.IdempotencyKeys;
import io.ascall.call.idempotency.KeyClaim;
import io.ascall.call.messaging.CallEvents;
import io.ascall.call.problem.CallProblemType;
import io.ascall.problem.Problem;
import io.ascall.call.rest.CallRequest;
import io.ascall.call.rest.CallResponse;
import io.ascall.events.FailureReason;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;

/**
 * Takes a customer's call: stores it, has its visit fee charged synchronously through
 * payment-service, and answers. The database transaction is never held open while
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
    private static final String INSTANCE = "/calls";

    private final FeeSchedule fees;
    private final CallEvents events;
    private final FeeCollector feeCollector;
    private final IdempotencyKeys keys;
    private final ObjectMapper json;
    private final CallConfig config;
    private final Clock clock;

    public CallIntake(FeeSchedule fees, CallEvents events, FeeCollector feeCollector, IdempotencyKeys keys,
            ObjectMapper json, CallConfig config, Clock clock) {
        this.fees = fees;
        this.events = events;
        this.feeCollector = feeCollector;
        this.keys = keys;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /** @param idempotencyKey the client's key, or null */
    public Uni<IntakeAnswer> take(CallRequest request, String idempotencyKey) {
        Instant now = clock.instant();
        Call draft = Call.request(request.customerId(), request.applianceType(), request.region(),
                request.address(), request.description(), fees.feeFor(request.applianceType()), fees.currency(), now);
        Context requestContext = Vertx.currentContext();
        return Panache.withTransaction(() -> start(draft, request, idempotencyKey, now))
                .chain(started -> started instanceof Started.Answered answered
                        ? Uni.createFrom().item(answered.answer())
                        : charge(((Started.Charge) started).call(), idempotencyKey, requestContext));
    }

    private sealed interface Started {
        record Charge(Call call) implements Started {
        }

        record Answered(IntakeAnswer answer) implements Started {
        }
    }

    private Uni<Started> start(Call draft, CallRequest request, String key, Instant now) {
        if (key == null) {
            return create(draft);
        }
        return keys.claim(key, fingerprint(request), draft.id, now).chain(claim -> {
            if (claim instanceof KeyClaim.Fresh) {
                return create(draft);
            }
            if (claim instanceof KeyClaim.Resume resume) {
                return Call.<Call>findById(resume.callId()).map(Started.Charge::new);
            }
            if (claim instanceof KeyClaim.Replay replay) {
                return Uni.createFrom().item(new Started.Answered(IntakeAnswer.replay(replay.stored())));
            }
            Problem refusal = claim instanceof KeyClaim.InProgress
                    ? Problem.of(CallProblemType.REQUEST_IN_PROGRESS,
                            "A request with this Idempotency-Key is still being processed; retry shortly.")
                            .retryAfter(Duration.ofSeconds(1))
                    : Problem.of(CallProblemType.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was first used with a different request body.");
            return Uni.createFrom().failure(refusal.toException());
        });
    }

    private Uni<Started> create(Call draft) {
        return draft.<Call>persist().chain(() -> events.requested(draft)).replaceWith(new Started.Charge(draft));
    }

    private Uni<IntakeAnswer> charge(Call call, String key, Context requestContext) {
        Uni<PaymentOutcome> outcome = call.status == CallStatus.REQUESTED
                ? feeCollector.collect(call, key != null ? key : call.id.toString())
                : Uni.createFrom().nullItem();
        return outcome
                // The breaker's timeout may complete on another thread; the session needs the request's context.
                .emitOn(task -> requestContext.runOnContext(ignored -> task.run()))
                .chain(result -> Panache.withTransaction(() -> Call.<Call>findById(call.id)
                        .chain(current -> record(current, result, key))));
    }

    private Uni<IntakeAnswer> record(Call call, PaymentOutcome outcome, String key) {
        Instant now = clock.instant();
        Uni<Void> published = Uni.createFrom().voidItem();
        if (call.status == CallStatus.REQUESTED && outcome != null) {
            if (outcome instanceof PaymentOutcome.Approved approved) {
                call.paymentApproved(approved.paymentId(), now);
                published = events.paid(call);
            } else if (outcome instanceof PaymentOutcome.Declined declined) {
                call.paymentDeclined(declined.paymentId(), declined.reason(), now);
                published = events.paymentFailed(call);
            } else if (key == null) {
                // Unavailable, and no retry can find this call again: close it now.
                call.paymentUnavailable(now);
                published = events.paymentFailed(call);
            }
            LOG.infof("Call %s: payment %s -> %s", call.id, outcome, call.status);
        }
        return published.chain(() -> answer(call, key, now));
    }

    private Uni<IntakeAnswer> answer(Call call, String key, Instant now) {
        IntakeAnswer answer = answerFor(call);
        if (key == null) {
            return Uni.createFrom().item(answer);
        }
        Uni<Void> keyDone;
        if (answer.status() != 503) {
            keyDone = keys.complete(key, answer.status(), answer.contentType(), answer.body(), answer.location());
        } else if (call.status == CallStatus.REQUESTED) {
            keyDone = keys.releaseLease(key, now);
        } else {
            keyDone = keys.forget(key);
        }
        return keyDone.replaceWith(answer);
    }

    private IntakeAnswer answerFor(Call call) {
        if (call.status == CallStatus.REQUESTED
                || (call.status == CallStatus.PAYMENT_FAILED && call.failureReason == FailureReason.PAYMENT_UNAVAILABLE)) {
            Problem problem = Problem.of(CallProblemType.PAYMENT_UNAVAILABLE, call.status == CallStatus.REQUESTED
                    ? "The visit fee could not be charged now. Retry with the same Idempotency-Key to continue this call."
                    : "The visit fee could not be charged now, and nothing was charged. Retry to request a new call.")
                    .with("callId", call.id).with("callStatus", call.status).at(INSTANCE);
            return new IntakeAnswer(503, Problem.MEDIA_TYPE, write(problem.body()), null,
                    config.payment().retryAfter(), false);
        }
        if (call.status == CallStatus.PAYMENT_FAILED) {
            Problem problem = Problem.of(CallProblemType.PAYMENT_DECLINED,
                    "The visit fee payment was declined: " + call.paymentDeclineReason)
                    .with("callId", call.id).with("paymentId", call.paymentId)
                    .with("declineReason", call.paymentDeclineReason).at(INSTANCE);
            return new IntakeAnswer(422, Problem.MEDIA_TYPE, write(problem.body()), null, null, false);
        }
        return new IntakeAnswer(201, MediaType.APPLICATION_JSON, write(CallResponse.of(call)), "/calls/" + call.id,
                null, false);
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + body.getClass(), e);
        }
    }

    /** The same request in another JSON layout is still the same request: hash its parsed form. */
    private String fingerprint(CallRequest request) {
        try {
            byte[] canonical = json.writeValueAsBytes(Map.of("POST /calls", request));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint the request", e);
        }
    }
}
