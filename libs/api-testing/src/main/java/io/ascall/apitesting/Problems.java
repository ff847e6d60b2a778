package io.ascall.apitesting;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.response.ValidatableResponse;

/**
 * What every service's tests check of a refusal: an RFC 9457 problem of the product's type, and for
 * a 401 or 403 the RFC 6750 challenge (libs/security's {@code AccessMappers}). One place, so the
 * four services' access tests assert the same answer.
 */
public final class Problems {

    /** The media type of every problem. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    /** The product's problem type URI of {@code slug} ({@code not-found}, {@code forbidden}, …). */
    public static String type(String slug) {
        return "urn:ascall:problem:" + slug;
    }

    /** A problem of type {@code slug} with {@code status}, its status member and a detail. */
    public static ValidatableResponse problem(ValidatableResponse response, int status, String slug) {
        return response.statusCode(status)
                .contentType(MEDIA_TYPE)
                .body("type", equalTo(type(slug)))
                .body("status", equalTo(status))
                .body("detail", notNullValue());
    }

    /** A 401: no token ({@code tokenSent} false) or one that is not valid, with the right challenge. */
    public static ValidatableResponse unauthorized(ValidatableResponse response, boolean tokenSent) {
        return problem(response, 401, "unauthorized").header("WWW-Authenticate", equalTo(challenge(tokenSent)));
    }

    /** A 403: a valid token whose holder lacks the endpoint's role. */
    public static ValidatableResponse forbidden(ValidatableResponse response) {
        return problem(response, 403, "forbidden");
    }

    /** RFC 6750 §3: the challenge carries an error code only when a token was sent. */
    public static String challenge(boolean tokenSent) {
        return tokenSent ? "Bearer realm=\"ascall\", error=\"invalid_token\"" : "Bearer realm=\"ascall\"";
    }
}
