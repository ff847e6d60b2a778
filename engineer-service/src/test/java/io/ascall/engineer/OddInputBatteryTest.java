package io.ascall.engineer;

import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.ApiContract;
import io.ascall.apitesting.DatabaseSnapshot;
import io.ascall.apitesting.OddInputBattery;
import io.ascall.engineer.support.EngineerServiceTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/**
 * The odd-input battery over engineer-service's whole OpenAPI document (every operation, parameter
 * and body field, but the stream, which never ends once accepted): no 5xx, every 4xx a problem,
 * every refusal the document's constraints call for, and no refused request changes a row (the
 * database before and after, table by table).
 *
 * <p>Engineers and assignments share the path parameter {@code id}; it is an existing engineer's
 * throughout, so the engineers' operations reach a real engineer, while the assignments' name no
 * assignment (a 404 once their body is read and valid).
 */
@EngineerServiceTest
class OddInputBatteryTest {

    @Inject
    Pool database;

    @Test
    void everyOddInputIsAProblemAndNoRefusalChangesARow() {
        ApiContract contract = ApiContract.ofRunningService();
        Map<String, Object> registration =
                Map.of("name", "Battery", "region", uniqueRegion("battery"), "skills", List.of("WASHER"));
        String engineerId = given().contentType(ContentType.JSON)
                .body(registration)
                .post("/engineers")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Map<String, Object> action = Map.of("engineerId", engineerId);
        OddInputBattery battery = OddInputBattery.of(contract)
                .pathValue("id", engineerId)
                .body("registerEngineer", registration)
                .body("acceptAssignment", action)
                .body("rejectAssignment", action)
                .body("completeAssignment", action)
                .skip("GET /engineers/{id}/assignments/stream");
        battery.check(DatabaseSnapshot.of(database), 171);
    }
}
