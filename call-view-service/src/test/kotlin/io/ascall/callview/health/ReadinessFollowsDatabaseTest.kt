package io.ascall.callview.health

import io.ascall.apitesting.TestIssuer
import io.ascall.callview.support.Callers.api
import io.ascall.local.LocalEnvironmentResource
import io.ascall.local.StoppablePostgres
import io.quarkus.test.common.QuarkusTestResource
import io.quarkus.test.common.ResourceArg
import io.quarkus.test.junit.QuarkusTest
import io.restassured.RestAssured.given
import java.time.Duration
import java.util.UUID
import org.awaitility.Awaitility.await
import org.hamcrest.Matchers.equalTo
import org.hamcrest.Matchers.hasItem
import org.hamcrest.Matchers.notNullValue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/**
 * The self-healing signals Kubernetes acts on (docs/deployment.md): while the database is
 * unreachable, readiness is DOWN and the API answers 503 at once; liveness stays UP. When the
 * database is back, so is the service, without a restart.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer::class)
@QuarkusTestResource(
    value = StoppablePostgres::class,
    restrictToAnnotatedClass = true,
    initArgs = [ResourceArg(name = LocalEnvironmentResource.DATABASE, value = "callview")],
)
class ReadinessFollowsDatabaseTest {

    @AfterEach fun databaseIsBack() = StoppablePostgres.startServer()

    @Test
    fun `readiness is down while the database is unreachable and up when it returns, liveness stays up`() {
        val call = "/call-views/${UUID.randomUUID()}"
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))

        StoppablePostgres.stopServer()

        await().atMost(NOTICE).pollInterval(Duration.ofMillis(500)).untilAsserted {
            given()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == '$DATABASE_CHECK' }.status", equalTo("DOWN"))
        }
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
        api()
            .get(call)
            .then()
            .statusCode(503)
            .contentType("application/problem+json")
            .header("Retry-After", notNullValue())
            .body("type", equalTo("urn:ascall:problem:service-unavailable"))

        StoppablePostgres.startServer()

        await().atMost(NOTICE).pollInterval(Duration.ofMillis(500)).untilAsserted {
            given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(DATABASE_CHECK))
        }
        api().get(call).then().statusCode(404)
    }

    companion object {
        /** The reactive pool's check, part of readiness. */
        private const val DATABASE_CHECK = "Reactive PostgreSQL connections health check"
        /**
         * Kubernetes probes readiness every 5 s; the check must notice well within a few periods.
         */
        private val NOTICE: Duration = Duration.ofSeconds(30)
    }
}
