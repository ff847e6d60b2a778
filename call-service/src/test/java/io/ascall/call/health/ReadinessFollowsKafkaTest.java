package io.ascall.call.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.local.StoppableKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * While Kafka is unreachable, readiness is DOWN (the pod gets no traffic it would have to answer
 * without its events flowing); liveness stays UP (a restart would not bring Kafka back); when the
 * broker is back, readiness is UP again on its own. The outbox keeps what is published meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = StoppableKafka.class,
        restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = LocalEnvironmentResource.DATABASE, value = "call"))
class ReadinessFollowsKafkaTest {

    private static final Duration NOTICE = Duration.ofSeconds(60);

    @AfterEach
    void brokerIsBack() {
        StoppableKafka.startBroker();
    }

    @Test
    void readinessIsDownWhileKafkaIsUnreachableAndUpWhenItReturnsLivenessStaysUp() {
        await().atMost(NOTICE)
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

        StoppableKafka.stopBroker();
        await().atMost(NOTICE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        StoppableKafka.startBroker();
        await().atMost(NOTICE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
