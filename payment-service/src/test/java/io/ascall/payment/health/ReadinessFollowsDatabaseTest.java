package io.ascall.payment.health;

import static io.ascall.payment.PaymentsApi.asOperator;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.local.StoppablePostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The self-healing signals Kubernetes acts on (docs/deployment.md): while the database is
 * unreachable, readiness is DOWN, so the pod leaves the Service's endpoints and gets no request it
 * could only fail; liveness stays UP, so the pod is not restarted for what a restart cannot fix.
 * When the database is back, readiness is UP again on its own, without a restart.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = StoppablePostgres.class,
        restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalEnvironmentResource.DATABASE, value = "payment"))
class ReadinessFollowsDatabaseTest {

    /** The reactive pool's check, part of readiness. */
    private static final String DATABASE_CHECK = "Reactive PostgreSQL connections health check";
    /** Kubernetes probes readiness every 5 s; the check must notice well within a few periods. */
    private static final Duration NOTICE = Duration.ofSeconds(30);

    @AfterEach
    void databaseIsBack() {
        StoppablePostgres.startServer();
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachableAndUpWhenItReturnsLivenessStaysUp() {
        // at start-up the channels take a moment to join their partitions: readiness comes up by itself
        await().atMost(NOTICE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));

        StoppablePostgres.stopServer();

        await().atMost(NOTICE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .statusCode(503)
                        .body("status", equalTo("DOWN"))
                        .body("checks.find { it.name == '" + DATABASE_CHECK + "' }.status", equalTo("DOWN")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // a request that needs the database is answered at once, as a 503 problem, not left hanging
        asOperator()
                .get("/payments/00000000-0000-0000-0000-000000000000")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:ascall:problem:service-unavailable"));

        StoppablePostgres.startServer();

        await().atMost(NOTICE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.name", hasItem(DATABASE_CHECK)));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        asOperator()
                .get("/payments/00000000-0000-0000-0000-000000000000")
                .then()
                .statusCode(404);
    }
}
