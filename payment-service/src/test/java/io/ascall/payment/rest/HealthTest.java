package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class HealthTest {

    @Test
    void readinessIncludesTheDatabase() {
        asOperator()
                .when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
    }

    @Test
    void readinessIncludesKafka() {
        asOperator()
                .when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"))
                .body(
                        "checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data",
                        // one entry per consumer of the channel: call-events$1, call-events$2, …
                        hasKey(startsWith("call-events$")))
                .body(
                        "checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data",
                        hasKey("outbox"));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
