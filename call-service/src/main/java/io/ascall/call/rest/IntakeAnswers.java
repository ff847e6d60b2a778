package io.ascall.call.rest;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.config.CallConfig;
import io.ascall.call.idempotency.StoredAnswer;
import io.ascall.call.problem.CallProblemType;
import io.ascall.call.service.IntakeOutcome;
import io.ascall.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * How {@code POST /calls} answers each {@link IntakeOutcome}. The answer to a final outcome is
 * written as text once more for the {@code Idempotency-Key} ({@link #replayable}), so that a retry
 * with the same key gets it back byte for byte; it is a function of the call alone, so the answer
 * sent and the one kept are the same bytes.
 */
@ApplicationScoped
public class IntakeAnswers {

    static final String INSTANCE = "/calls";
    static final String REPLAYED = "Idempotent-Replayed";
    /** The first request is about to finish (it holds its key for one payment at most). */
    private static final Duration RETRY_IN_PROGRESS = Duration.ofSeconds(1);

    private final ObjectMapper json;
    private final Duration paymentRetryAfter;

    public IntakeAnswers(ObjectMapper json, CallConfig config) {
        this.json = json;
        this.paymentRetryAfter = config.payment().retryAfter();
    }

    public Response toResponse(IntakeOutcome outcome) {
        if (outcome instanceof IntakeOutcome.Replayed replayed) {
            return written(replayed.answer()).header(REPLAYED, "true").build();
        }
        if (outcome instanceof IntakeOutcome.InProgress) {
            return Problem.of(
                            CallProblemType.REQUEST_IN_PROGRESS,
                            "A request with this Idempotency-Key is still being processed; retry shortly.")
                    .retryAfter(RETRY_IN_PROGRESS)
                    .at(INSTANCE)
                    .toResponse();
        }
        if (outcome instanceof IntakeOutcome.KeyReused) {
            return Problem.of(
                            CallProblemType.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was first used with a different request body.")
                    .at(INSTANCE)
                    .toResponse();
        }
        if (outcome instanceof IntakeOutcome.Unavailable unavailable) {
            // Never kept for a replay: a retry resumes the call, or starts a new one.
            return written(new StoredAnswer(
                            503,
                            Problem.MEDIA_TYPE,
                            write(unavailable(unavailable.call()).body()),
                            null))
                    .header(HttpHeaders.RETRY_AFTER, Math.max(1, paymentRetryAfter.toSeconds()))
                    .build();
        }
        return written(replayable(outcome)).build();
    }

    /** The answer to a final outcome, Created or Declined, as kept with its {@code Idempotency-Key}. */
    public StoredAnswer replayable(IntakeOutcome outcome) {
        if (outcome instanceof IntakeOutcome.Created created) {
            Call call = created.call();
            return new StoredAnswer(201, MediaType.APPLICATION_JSON, write(CallResponse.of(call)), "/calls/" + call.id);
        }
        if (outcome instanceof IntakeOutcome.Declined declined) {
            Call call = declined.call();
            Problem problem = Problem.of(
                            CallProblemType.PAYMENT_DECLINED,
                            "The visit fee payment was declined: " + call.paymentDeclineReason)
                    .with("callId", call.id)
                    .with("paymentId", call.paymentId)
                    .with("declineReason", call.paymentDeclineReason)
                    .at(INSTANCE);
            return new StoredAnswer(422, Problem.MEDIA_TYPE, write(problem.body()), null);
        }
        throw new IllegalArgumentException(outcome + " is not a final outcome: it is never replayed");
    }

    private static Problem unavailable(Call call) {
        return Problem.of(
                        CallProblemType.PAYMENT_UNAVAILABLE,
                        call.status == CallStatus.REQUESTED
                                ? "The visit fee could not be charged now. Retry with the same Idempotency-Key to continue this call."
                                : "The visit fee could not be charged now, and nothing was charged. Retry to request a new call.")
                .with("callId", call.id)
                .with("callStatus", call.status)
                .at(INSTANCE);
    }

    private static Response.ResponseBuilder written(StoredAnswer answer) {
        Response.ResponseBuilder response =
                Response.status(answer.status()).type(answer.contentType()).entity(answer.body());
        if (answer.location() != null) {
            response.header(HttpHeaders.LOCATION, answer.location());
        }
        return response;
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + body.getClass(), e);
        }
    }
}
