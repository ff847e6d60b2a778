package io.ascall.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** The mapping as a service gets it: every failure of a request through Quarkus REST is a problem. */
@QuarkusTest
class ProblemMappingTest {

    private static final String VALID = "{\"customerId\":\"c-1\",\"amount\":30000,\"visits\":1,\"ratio\":0.5,"
            + "\"urgent\":false,\"appliance\":\"WASHER\",\"callId\":\"6f1c2a4e-0b7d-4c55-9b1e-5a2f0e9d3c11\","
            + "\"skills\":[\"WASHER\",\"DRYER\"],\"parts\":[{\"name\":\"drum\"}]}";

    private static ValidatableResponse problem(ValidatableResponse response, int status, String slug) {
        return response.statusCode(status)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:ascall:problem:" + slug))
                .body("title", notNullValue())
                .body("status", equalTo(status))
                .body("detail", notNullValue())
                .body("instance", notNullValue());
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/probe/orders")
                .then();
    }

    /** A field replaced by another JSON value. */
    private static String with(String field, String json) {
        return VALID.replaceFirst(
                "\"" + field + "\":(\"[^\"]*\"|\\[[^\\]]*\\]|[^,}]+)",
                java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + json));
    }

    @Test
    void aValidBodyIsRead() {
        post(VALID).statusCode(200).body("amount", equalTo(30000)).body("skills", contains("WASHER", "DRYER"));
    }

    @Test
    void unknownPropertiesAreIgnored() {
        post(VALID.replace("{", "{\"tip\":5,")).statusCode(200);
    }

    @Test
    void anIntegerIsAFineDecimal() {
        post(with("ratio", "1")).statusCode(200);
    }

    @Test
    void unparsableJsonIs400() {
        problem(post("{\"customerId\": \"c-1\", \"amount\": "), 400, "malformed-request")
                .body("detail", equalTo("The body is not well-formed JSON"))
                .body("instance", equalTo("/probe/orders"))
                .body("field", equalTo(null));
    }

    @Test
    void trailingTokensAre400() {
        problem(post(VALID + " trailing"), 400, "malformed-request");
        problem(post(VALID + " {}"), 400, "malformed-request");
    }

    @Test
    void aBodyThatIsNoObjectIs400() {
        problem(post("[1, 2]"), 400, "malformed-request")
                .body("detail", equalTo("The body must be a single JSON object"));
        problem(post("\"text\""), 400, "malformed-request");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "amount     | \"12\"       | expected an integer",
                "amount     | 1.5          | expected an integer",
                "amount     | 1.0          | expected an integer",
                "amount     | true         | expected an integer",
                "amount     | null         | expected an integer",
                "amount     | {}           | expected an integer",
                "visits     | \"1\"        | expected an integer",
                "ratio      | \"0.5\"      | expected a number",
                "urgent     | \"true\"     | expected true or false",
                "urgent     | 1            | expected true or false",
                "customerId | 12           | expected a string",
                "customerId | true         | expected a string",
                "customerId | [\"c\"]      | expected a string",
                "callId     | \"not-a-uuid\" | expected a UUID string",
                "skills     | \"WASHER\"   | expected an array",
            })
    void aValueOfTheWrongTypeIs400NamingTheField(String field, String json, String expected) {
        problem(post(with(field, json)), 400, "malformed-request")
                .body("field", equalTo(field))
                .body("detail", equalTo("Field '" + field + "' has a value of the wrong type or format: " + expected));
    }

    @Test
    void aNumberOutOfRangeIs400NamingTheField() {
        problem(post(with("amount", "99999999999999999999999")), 400, "malformed-request")
                .body("field", equalTo("amount"))
                .body("detail", equalTo("Field 'amount' has a value of the wrong type or format: out of range"));
        problem(post(with("visits", "3000000000")), 400, "malformed-request").body("field", equalTo("visits"));
    }

    @Test
    void anUnknownOrNumericEnumValueListsTheAllowedOnes() {
        for (String value : new String[] {"\"TIME_MACHINE\"", "1", "true"}) {
            problem(post(with("appliance", value)), 400, "malformed-request")
                    .body("field", equalTo("appliance"))
                    .body("allowed", contains("WASHER", "DRYER"));
        }
    }

    @Test
    void anElementOfAListIsNamedByItsIndex() {
        problem(post(with("skills", "[\"WASHER\", \"TIME_MACHINE\"]")), 400, "malformed-request")
                .body("field", equalTo("skills[1]"));
        problem(post(with("parts", "[{\"name\": \"drum\"}, {\"name\": 7}]")), 400, "malformed-request")
                .body("field", equalTo("parts[1].name"));
    }

    @Test
    void invalidFieldsAre400WithEveryField() {
        problem(
                        post(with("customerId", "\"  \"")
                                .replace("\"WASHER\",\"DRYER\"", "\"WASHER\",null")
                                .replace("\"drum\"", "\"\"")),
                        400,
                        "validation")
                .body("detail", equalTo("Invalid or missing: customerId, parts[0].name, skills[1]"))
                .body("errors.field", contains("customerId", "parts[0].name", "skills[1]"))
                .body("errors[0].message", notNullValue());
    }

    @Test
    void aMissingBodyIs400NamingTheBody() {
        problem(
                        given().contentType(ContentType.JSON)
                                .when()
                                .post("/probe/orders")
                                .then(),
                        400,
                        "validation")
                .body("errors.field", contains("body"));
    }

    @Test
    void anInvalidParameterIsNamedByItself() {
        problem(given().queryParam("size", 101).when().get("/probe/orders").then(), 400, "validation")
                .body("errors.field", contains("size"));
    }

    /** Quarkus REST refuses an oversized form attribute with a bare 413: the problem says 413 too. */
    @Test
    void aStatusWithoutATypeOfItsOwnIsAnsweredAsChosen() {
        problem(
                given().contentType(ContentType.URLENC)
                        .formParam("text", "x".repeat(100))
                        .when()
                        .post("/probe/notes")
                        .then(),
                413,
                "malformed-request");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "NUL                  | \\u0000   | a NUL character (U+0000)",
                "escape               | \\u001b   | a control character (U+001B)",
                "DEL                  | \\u007f   | a control character (U+007F)",
                "C1 control           | \\u0085   | a control character (U+0085)",
                "lone high surrogate  | \\ud800   | an unpaired surrogate (U+D800)",
                "lone low surrogate   | \\udc00x  | an unpaired surrogate (U+DC00)",
                "noncharacter         | \\uffff   | a noncharacter (U+FFFF)",
            })
    void aStringWithACharacterNoFieldMeansIs400NamingFieldAndCharacter(String what, String escape, String problem) {
        problem(post(with("customerId", "\"c" + escape + "\"")), 400, "malformed-request")
                .body("field", equalTo("customerId"))
                .body("detail", equalTo("Field 'customerId' contains " + problem));
        problem(post(with("parts", "[{\"name\":\"drum" + escape + "\"}]")), 400, "malformed-request")
                .body("field", equalTo("parts[0].name"));
    }

    @Test
    void linesTabsAndCharactersBeyondTheBasicPlaneAreText() {
        post(with("customerId", "\"a\\tb\\nc\"")).statusCode(200).body("customerId", equalTo("a\tb\nc"));
        post(with("customerId", "\"\\ud83d\\udd27\uC218\uB9AC\"")).statusCode(200);
    }

    @Test
    void aFieldGivenTwiceIs400NamingIt() {
        // the second customerId comes after every field was read once
        problem(post(VALID.substring(0, VALID.length() - 1) + ",\"customerId\":\"c-2\"}"), 400, "malformed-request")
                .body("field", equalTo("customerId"))
                .body("detail", equalTo("Field 'customerId' is given more than once"));
    }

    @Test
    void aBodyIsJsonInUtf8OrRefusedWith415() {
        byte[] body = VALID.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (String type : new String[] {
            "application/json; charset=bogus", "application/json; charset=UTF-16", "*/*", "application/*"
        }) {
            problem(
                            given().header("Content-Type", type)
                                    .body(body)
                                    .when()
                                    .post("/probe/orders")
                                    .then(),
                            415,
                            "unsupported-media-type")
                    .body("instance", equalTo("/probe/orders"));
        }
        problem(given().noContentType().body(body).when().post("/probe/orders").then(), 415, "unsupported-media-type");
        given().header("Content-Type", "application/json; charset=utf-8")
                .body(body)
                .when()
                .post("/probe/orders")
                .then()
                .statusCode(200);
    }

    @Test
    void aParameterWithACharacterNoFieldMeansIs400NamingIt() {
        problem(
                        given().urlEncodingEnabled(false)
                                .when()
                                .get("/probe/search?customerId=c%00")
                                .then(),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("customerId"))
                .body("errors[0].message", equalTo("contains a NUL character (U+0000)"));
        problem(
                given().urlEncodingEnabled(false)
                        .when()
                        .get("/probe/search?customerId=%1b")
                        .then(),
                400,
                "validation");
        given().urlEncodingEnabled(false)
                .when()
                .get("/probe/search?customerId=c%20d")
                .then()
                .statusCode(200);
    }

    @Test
    void aLostRaceIs409WithRetryAfter() {
        problem(given().when().get("/probe/race").then(), 409, "concurrent-change")
                .header("Retry-After", "1");
    }

    @Test
    void jaxRsAnswersAreProblems() {
        problem(given().when().get("/nowhere").then(), 404, "not-found").body("instance", equalTo("/nowhere"));
        problem(given().when().delete("/probe/orders").then(), 405, "method-not-allowed");
        problem(given().accept(ContentType.XML).when().get("/probe/orders").then(), 406, "not-acceptable");
        problem(
                given().contentType(ContentType.XML)
                        .body("<order/>")
                        .when()
                        .post("/probe/orders")
                        .then(),
                415,
                "unsupported-media-type");
    }

    @Test
    void theInstanceIsThePathAsSent() {
        problem(given().urlEncodingEnabled(false).when().get("/no%20where").then(), 404, "not-found")
                .body("instance", equalTo("/no%20where"));
    }

    @Test
    void aServiceAddsProblemTypesOfItsOwn() {
        problem(given().when().get("/probe/declined").then(), 422, "payment-declined")
                .body("title", equalTo("The visit fee payment was declined"))
                .body("detail", equalTo("card declined"))
                .body("declineReason", equalTo("card declined"))
                .body("instance", equalTo("/probe/declined"));
    }

    @Test
    void aServiceMapsRefusalsOfItsDomain() {
        problem(given().when().get("/probe/refused").then(), 409, "conflict")
                .body("detail", equalTo("The order is closed"));
    }

    @Test
    void aLostDatabaseIs503WithRetryAfter() {
        problem(given().when().get("/probe/database").then(), 503, "service-unavailable")
                .header("Retry-After", "5");
    }

    @Test
    void anUnexpectedFailureIs500ShowingNoInternals() {
        problem(given().when().get("/probe/crash").then(), 500, "internal")
                .header("Retry-After", equalTo(null))
                .body(not(containsString("internal secret")));
    }

    @Test
    void aResponseThatCannotBeWrittenIsOurs500NotTheClients400() {
        problem(given().when().get("/probe/unwritable").then(), 500, "internal");
    }
}
