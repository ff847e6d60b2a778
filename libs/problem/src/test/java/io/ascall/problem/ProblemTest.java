package io.ascall.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.core.Response;

class ProblemTest {

    @Test
    void aProblemTypeIsAnErrorStatusAndAUriSafeSlug() {
        assertEquals("urn:ascall:problem:payment-declined", new ProblemType(422, "payment-declined", "declined").uri());
        assertThrows(IllegalArgumentException.class, () -> new ProblemType(200, "fine", "not an error"));
        assertThrows(IllegalArgumentException.class, () -> new ProblemType(409, "Not A Slug", "spaces"));
        assertThrows(IllegalArgumentException.class, () -> new ProblemType(409, "trailing-", "dash"));
    }

    @Test
    void writesTypeTitleStatusDetailThenTheRest() throws JsonProcessingException {
        Problem problem = Problem.of(CommonProblemType.CONFLICT, "Call 1 is DISPATCHED")
                .with("callStatus", "DISPATCHED")
                .at("/calls/1/cancel");
        assertEquals(
                "{\"type\":\"urn:ascall:problem:conflict\",\"title\":\"The resource is not in a state that allows this\","
                        + "\"status\":409,\"detail\":\"Call 1 is DISPATCHED\",\"callStatus\":\"DISPATCHED\",\"instance\":\"/calls/1/cancel\"}",
                new ObjectMapper().writeValueAsString(problem.body()));
    }

    @Test
    void aValidationProblemNamesEachFieldOnce() throws JsonProcessingException {
        Problem problem = Problem.invalid(List.of(
                new FieldError("size", "must be 1 or more"),
                new FieldError("size", "must be a whole number"),
                new FieldError("page", "must be 0 or more")));
        assertEquals("Invalid or missing: size, page", problem.body().get("detail"));
        assertEquals(
                "[{\"field\":\"size\",\"message\":\"must be 1 or more\"},{\"field\":\"size\",\"message\":\"must be a whole number\"},"
                        + "{\"field\":\"page\",\"message\":\"must be 0 or more\"}]",
                new ObjectMapper().writeValueAsString(problem.body().get("errors")));
    }

    @Test
    void answersTheTypesStatusWithRetryAfterWhenGiven() {
        Response response = Problem.of(CommonProblemType.SERVICE_UNAVAILABLE, "down")
                .retryAfter(Duration.ofMillis(1500))
                .toResponse();
        assertEquals(503, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        assertEquals("1", response.getHeaderString("Retry-After"));
        assertNull(Problem.of(CommonProblemType.NOT_FOUND, "none").toResponse().getHeaderString("Retry-After"));
    }

    @Test
    void anotherStatusIsAnsweredAndWrittenAlike() {
        Problem problem =
                Problem.of(CommonProblemType.MALFORMED_REQUEST, "too large").status(413);
        assertEquals(413, problem.toResponse().getStatus());
        assertEquals(413, problem.body().get("status"));
    }

    @Test
    void theStandardMembersAreNoExtensions() {
        for (String member : List.of("type", "title", "status", "detail", "instance")) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Problem.of(CommonProblemType.NOT_FOUND, "none").with(member, 413));
        }
    }

    @Test
    void theExceptionTellsTheDetail() {
        assertEquals(
                "No call 1",
                Problem.of(CommonProblemType.NOT_FOUND, "No call 1")
                        .toException()
                        .getMessage());
    }
}
