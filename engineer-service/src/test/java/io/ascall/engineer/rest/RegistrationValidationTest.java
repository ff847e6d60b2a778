package io.ascall.engineer.rest;

import static io.ascall.engineer.support.Engineers.engineersIn;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** A bad registration gets a clear 4xx problem, never a 5xx, and registers nobody. */
@EngineerServiceTest
class RegistrationValidationTest {

    private final String region = uniqueRegion("invalid");

    @AfterEach
    void nothingRegistered() {
        assertEquals(0, engineersIn(region), "an engineer was registered");
    }

    private Map<String, Object> valid() {
        return new HashMap<>(Map.of("name", "Kim", "region", region, "skills", List.of("WASHER", "DRYER")));
    }

    private ValidatableResponse postRaw(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/engineers")
                .then();
    }

    private ValidatableResponse post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/engineers")
                .then();
    }

    @Test
    void malformedJson() {
        problem(postRaw("{\"name\": \"Kim\", \"region\": \"" + region + "\", "), 400, "malformed-request")
                .body("instance", equalTo("/engineers"));
    }

    @Test
    void emptyBody() {
        problem(postRaw(""), 400, "validation");
    }

    @Test
    void notAnObject() {
        problem(postRaw("[\"" + region + "\"]"), 400, "malformed-request");
    }

    @Test
    void missingFieldsAreAllNamed() {
        problem(postRaw("{}"), 400, "validation").body("errors.field", hasItems("name", "region", "skills"));
    }

    @Test
    void blankFields() {
        Map<String, Object> body = valid();
        body.put("name", "  ");
        problem(post(body), 400, "validation").body("errors.field", hasItem("name"));
        body = valid();
        body.put("region", "");
        problem(post(body), 400, "validation").body("errors.field", hasItem("region"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "name   | 5",
                "name   | [\"Kim\"]",
                "region | true",
                "region | {\"a\": 1}",
                "skills | \"WASHER\"",
                "skills | 7",
                "skills | {\"WASHER\": true}"
            })
    void wrongJsonTypesNameTheField(String field, String json) {
        Map<String, Object> body = valid();
        body.remove(field);
        String raw = Kafka.json(body).replaceFirst("^\\{", "{\"" + field + "\":" + json.replace("$", "\\$") + ",");
        problem(postRaw(raw), 400, "malformed-request").body("field", equalTo(field));
    }

    @Test
    void aSkillOfTheWrongTypeIsNamedByItsIndex() {
        problem(
                        postRaw("{\"name\":\"Kim\",\"region\":\"" + region + "\",\"skills\":[\"WASHER\", 3]}"),
                        400,
                        "malformed-request")
                .body("field", equalTo("skills[1]"));
    }

    @Test
    void unknownSkillListsTheAllowedOnes() {
        Map<String, Object> body = valid();
        body.put("skills", List.of("WASHER", "TIME_MACHINE"));
        problem(post(body), 400, "malformed-request")
                .body("field", equalTo("skills[1]"))
                .body("allowed", hasItems("WASHER", "REFRIGERATOR", "AIR_CONDITIONER", "AIR_PURIFIER"));
    }

    @Test
    void noSkills() {
        Map<String, Object> body = valid();
        body.put("skills", List.of());
        problem(post(body), 400, "validation").body("errors.field", hasItem("skills"));
    }

    @Test
    void aSkillTwice() {
        Map<String, Object> body = valid();
        body.put("skills", List.of("WASHER", "TV", "WASHER"));
        problem(post(body), 400, "validation").body("errors.field", hasItem("skills"));
    }

    @Test
    void tooManySkills() {
        List<String> skills = new ArrayList<>(Arrays.asList(
                "WASHER",
                "DRYER",
                "REFRIGERATOR",
                "AIR_CONDITIONER",
                "TV",
                "DISHWASHER",
                "MICROWAVE",
                "OVEN",
                "AIR_PURIFIER"));
        skills.add("TV");
        Map<String, Object> body = valid();
        body.put("skills", skills);
        problem(post(body), 400, "validation").body("errors.field", hasItem("skills"));
    }

    @Test
    void aNullSkillIsNamedByItsIndex() {
        problem(
                        postRaw("{\"name\":\"Kim\",\"region\":\"" + region + "\",\"skills\":[\"WASHER\", null]}"),
                        400,
                        "validation")
                .body("errors.field", hasItem("skills[1]"));
    }

    @Test
    void oversizedStrings() {
        Map<String, Object> body = valid();
        body.put("name", "n".repeat(101));
        problem(post(body), 400, "validation").body("errors.field", hasItem("name"));
        body = valid();
        body.put("region", region + "r".repeat(65));
        problem(post(body), 400, "validation").body("errors.field", hasItem("region"));
    }

    @Test
    void longestAllowedStringsAreAccepted() {
        String longRegion = region + "r".repeat(64 - region.length());
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "n".repeat(100), "region", longRegion, "skills", List.of("OVEN")))
                .post("/engineers")
                .then()
                .statusCode(201);
        assertEquals(1, engineersIn(longRegion));
    }

    @Test
    void wrongContentType() {
        problem(
                given().contentType(ContentType.TEXT)
                        .body("name=Kim")
                        .post("/engineers")
                        .then(),
                415,
                "unsupported-media-type");
    }

    @Test
    void notAcceptable() {
        problem(given().accept(ContentType.XML).get("/engineers").then(), 406, "not-acceptable");
    }

    @Test
    void unknownPathAndMethod() {
        problem(given().get("/no-such-thing").then(), 404, "not-found");
        problem(given().delete("/engineers").then(), 405, "method-not-allowed");
    }

    @Test
    void badListParameters() {
        problem(given().queryParam("size", 0).get("/engineers").then(), 400, "validation")
                .body("errors[0].field", equalTo("size"));
        problem(given().queryParam("size", 101).get("/engineers").then(), 400, "validation");
        problem(given().queryParam("page", -1).get("/engineers").then(), 400, "validation")
                .body("errors[0].field", equalTo("page"));
        problem(given().queryParam("page", "first").get("/engineers").then(), 400, "validation")
                .body("errors[0].field", equalTo("page"));
        problem(given().queryParam("skill", "TIME_MACHINE").get("/engineers").then(), 400, "validation")
                .body("errors[0].field", equalTo("skill"));
    }
}
