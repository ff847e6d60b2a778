package io.ascall.engineer;

import static io.ascall.engineer.support.Engineers.registerFor;
import static io.ascall.engineer.support.Engineers.registration;
import static io.ascall.engineer.support.Engineers.uniqueAccount;
import static io.ascall.engineer.support.Engineers.uniqueRegion;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.ApiContract;
import io.ascall.apitesting.DatabaseSnapshot;
import io.ascall.apitesting.OddInputBattery;
import io.ascall.apitesting.Tokens;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Engineers;
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
 * assignment (a 404).
 *
 * <p>Each operation is sent as one allowed to call it: an operator, and for {@code /engineers/me}
 * and the answers to assignments the engineer registered here (their account's token).
 */
@EngineerServiceTest
class OddInputBatteryTest {

    @Inject
    Pool database;

    @Test
    void everyOddInputIsAProblemAndNoRefusalChangesARow() {
        ApiContract contract = ApiContract.ofRunningService();
        String account = uniqueAccount("battery");
        String region = uniqueRegion("battery");
        String engineerId = registerFor(account, "Battery", region, "WASHER");
        String engineer = Tokens.engineer(account);
        // the first registration case accepted registers an engineer for this account, the later
        // ones are a 409 (a problem, which the battery takes); the refusals register nobody
        Map<String, Object> registration = registration(uniqueAccount("battery-new"), "Battery", region, "WASHER");
        OddInputBattery battery = OddInputBattery.of(contract)
                .pathValue("id", engineerId)
                .body("registerEngineer", registration)
                .token(Engineers.OPERATOR_TOKEN)
                .token("GET /engineers/me", engineer)
                .token("POST /assignments/{id}/accept", engineer)
                .token("POST /assignments/{id}/reject", engineer)
                .token("POST /assignments/{id}/complete", engineer)
                .skip("GET /engineers/{id}/assignments/stream");
        battery.check(DatabaseSnapshot.of(database), 145);
    }
}
