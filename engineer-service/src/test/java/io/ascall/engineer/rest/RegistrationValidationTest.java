package io.ascall.engineer.rest;

import static io.ascall.engineer.support.Engineers.api;
import static io.ascall.engineer.support.Engineers.engineersIn;
import static io.ascall.engineer.support.Engineers.uniqueAccount;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
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
        return new HashMap<>(Map.of(
                "accountId",
                uniqueAccount("invalid"),
                "name",
                "Kim",
                "region",
                region,
                "skills",
                List.of("WASHER", "DRYER")));
    }

    private ValidatableResponse postRaw(String body) {
        return api().contentType(ContentType.JSON).body(body).post("/engineers").then();
    }

    private ValidatableResponse post(Map<String, Object> body) {
        return api().contentType(ContentType.JSON).body(body).post("/engineers").then();
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
        problem(postRaw("{}"), 400, "validation")
                .body("errors.field", hasItems("accountId", "name", "region", "skills"));
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
                "accountId | 42",
                "accountId | [\"kim\"]",
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

    /** An account id is a token's subject: 1 to 64 visible ASCII characters, as Caller accepts them. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"''", "'with space'", "' leading'", "'tab\there'", "'caf\u00e9'", "'\u00a0nbsp'"})
    void anAccountIdThatNoTokenCouldHave(String accountId) {
        Map<String, Object> body = valid();
        body.put("accountId", accountId);
        problem(post(body), 400, "validation").body("errors.field", hasItem("accountId"));
    }

    @Test
    void anAccountIdTooLongOrMissing() {
        Map<String, Object> body = valid();
        body.put("accountId", "a".repeat(65));
        problem(post(body), 400, "validation").body("errors.field", hasItem("accountId"));
        body.remove("accountId");
        problem(post(body), 400, "validation").body("errors.field", hasItem("accountId"));
        body.put("accountId", null);
        problem(post(body), 400, "validation").body("errors.field", hasItem("accountId"));
    }

    @Test
    void longestAllowedStringsAreAccepted() {
        String longRegion = region + "r".repeat(64 - region.length());
        String longAccount = uniqueAccount("long");
        longAccount += "~".repeat(64 - longAccount.length());
        api().contentType(ContentType.JSON)
                .body(Map.of(
                        "accountId",
                        longAccount,
                        "name",
                        "n".repeat(100),
                        "region",
                        longRegion,
                        "skills",
                        List.of("OVEN")))
                .post("/engineers")
                .then()
                .statusCode(201);
        assertEquals(1, engineersIn(longRegion));
    }

    @Test
    void wrongContentType() {
        problem(
                api().contentType(ContentType.TEXT)
                        .body("name=Kim")
                        .post("/engineers")
                        .then(),
                415,
                "unsupported-media-type");
    }

    @Test
    void notAcceptable() {
        problem(api().accept(ContentType.XML).get("/engineers").then(), 406, "not-acceptable");
    }

    @Test
    void unknownPathAndMethod() {
        problem(api().get("/no-such-thing").then(), 404, "not-found");
        problem(api().delete("/engineers").then(), 405, "method-not-allowed");
    }

    @Test
    void badListParameters() {
        problem(api().queryParam("size", 0).get("/engineers").then(), 400, "validation")
                .body("errors[0].field", equalTo("size"));
        problem(api().queryParam("size", 101).get("/engineers").then(), 400, "validation");
        problem(api().queryParam("page", -1).get("/engineers").then(), 400, "validation")
                .body("errors[0].field", equalTo("page"));
        problem(api().queryParam("page", "first").get("/engineers").then(), 400, "validation")
                .body("errors[0].field", equalTo("page"));
        problem(api().queryParam("skill", "TIME_MACHINE").get("/engineers").then(), 400, "validation")
                .body("errors[0].field", equalTo("skill"));
    }
}
