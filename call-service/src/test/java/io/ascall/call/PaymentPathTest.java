package io.ascall.call;

import static io.ascall.call.support.Calls.api;
import static io.ascall.call.support.Calls.callsOf;
import static io.ascall.call.support.Calls.newCall;
import static io.ascall.call.support.Calls.paymentsOf;
import static io.ascall.call.support.Calls.post;
import static io.ascall.call.support.Calls.uniqueCustomer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.Tokens;
import io.ascall.call.support.CallServiceTest;
import io.ascall.call.support.FaultyProxy;
import io.ascall.call.support.PaymentServiceResource;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;

/**
 * The synchronous payment path over real HTTP: call-service (this JVM) -> proxy -> the packaged
 * payment-service process, on real PostgreSQL. Test timings (application.properties, %test):
 * a charge times out after 3 s (generous: these machines are shared and slow under load), the breaker opens when
 * half of the last 20 charges failed (as in production) and stays open 2 s.
 */
@CallServiceTest
class PaymentPathTest {

    /** The charges the breaker looks back over (application.properties, as in production). */
    private static final int BREAKER_WINDOW = ConfigProvider.getConfig()
            .getValue(
                    "quarkus.fault-tolerance.\"io.ascall.call.client.FeeCollector/collect\".circuit-breaker.request-volume-threshold",
                    Integer.class);

    /** The configured charge timeout in tests, plus what a loaded 2-core machine may add. */
    private static final long FAST_FAILURE_MILLIS = 3000 + 1500;

    @Inject
    CircuitBreakerMaintenance breakers;

    FaultyProxy proxy = PaymentServiceResource.proxy();

    @BeforeEach
    void healthyPaymentService() {
        proxy.pass();
        breakers.resetAll();
    }

    @AfterEach
    void restore() {
        proxy.pass();
        breakers.resetAll();
    }

    @Test
    void aPaidCallIsCreatedWithItsPayment() {
        String customer = uniqueCustomer("paid-");
        Response created = post(newCall(customer));
        created.then()
                .statusCode(201)
                .header("Location", startsWith("/calls/"))
                .body("status", equalTo("PAID"))
                .body("fee", equalTo(30000))
                .body("currency", equalTo("KRW"))
                .body("paymentId", notNullValue())
                .body("createdAt", notNullValue());
        String callId = created.jsonPath().getString("id");
        assertEquals("/calls/" + callId, created.header("Location"));

        api().get("/calls/" + callId)
                .then()
                .statusCode(200)
                .body("status", equalTo("PAID"))
                .body("paymentId", equalTo(created.jsonPath().getString("paymentId")));
        List<Map<String, Object>> payments = paymentsOf(callId);
        assertEquals(1, payments.size());
        assertEquals("APPROVED", payments.get(0).get("status"));
        assertEquals(30000, payments.get(0).get("amount"));
        assertEquals(customer, payments.get(0).get("customerId"));
    }

    @Test
    void aDeclinedCardEndsTheCallAsPaymentFailed() {
        Response declined = post(newCall(uniqueCustomer("declined-")));
        declined.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:payment-declined"))
                .body("status", equalTo(422))
                .body("callId", notNullValue())
                .body("declineReason", notNullValue());
        String callId = declined.jsonPath().getString("callId");
        api().get("/calls/" + callId)
                .then()
                .statusCode(200)
                .body("status", equalTo("PAYMENT_FAILED"))
                .body("failureReason", equalTo("PAYMENT_DECLINED"));
        assertEquals("DECLINED", paymentsOf(callId).get(0).get("status"));
    }

    @Test
    void aSlowPaymentServiceGetsAFast503AndTheLateChargeIsUndone() {
        proxy.slow(Duration.ofSeconds(8));
        long started = System.nanoTime();
        Response answer = post(newCall(uniqueCustomer("slow-")));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        answer.then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:ascall:problem:payment-unavailable"))
                .body("callStatus", equalTo("PAYMENT_FAILED"));
        assertTrue(tookMillis < FAST_FAILURE_MILLIS, "answered after " + tookMillis + " ms");
        String callId = answer.jsonPath().getString("callId");
        api().get("/calls/" + callId)
                .then()
                .body("status", equalTo("PAYMENT_FAILED"))
                .body("failureReason", equalTo("PAYMENT_UNAVAILABLE"))
                .body("paymentId", equalTo(null));

        // payment-service did take the fee, late; the reconciler makes it give it back.
        proxy.pass();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> payments = paymentsOf(callId);
            assertEquals(1, payments.size());
            assertEquals("REFUNDED", payments.get(0).get("status"));
        });
    }

    @Test
    void anOpenBreakerKeepsRequestsAwayFromPaymentServiceUntilItRecovers() {
        proxy.dead();
        for (int i = 0; i < BREAKER_WINDOW; i++) {
            post(newCall(uniqueCustomer("dead-"))).then().statusCode(503);
        }
        assertEquals(CircuitBreakerState.OPEN, breakers.currentState("payment-charge"));

        long chargesSeen = proxy.count("POST /payments");
        for (int i = 0; i < 5; i++) {
            String customer = uniqueCustomer("open-");
            Tokens.customer(customer); // signed (and cached) here: what is timed is call-service's answer
            long started = System.nanoTime();
            post(newCall(customer))
                    .then()
                    .statusCode(503)
                    .header("Retry-After", notNullValue())
                    .body("type", equalTo("urn:ascall:problem:payment-unavailable"));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis < 500, "an open breaker answered after " + tookMillis + " ms");
        }
        assertEquals(
                chargesSeen, proxy.count("POST /payments"), "requests reached payment-service through an open breaker");

        // payment-service is back: after the breaker's delay, calls succeed again, no restart needed.
        proxy.pass();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> post(newCall(uniqueCustomer("recovered-"))).statusCode() == 201);
        assertEquals(CircuitBreakerState.CLOSED, breakers.currentState("payment-charge"));
    }

    /**
     * A stall fails the charges in flight together: 8 at once, as 8 customers tapping in the same
     * seconds of a cold start. They get their 503s; the customers after them must not.
     */
    @Test
    void theChargesFailedTogetherByOneStallDoNotOpenTheBreaker() {
        proxy.slow(Duration.ofSeconds(8));
        ExecutorService customers = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Integer>> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                String customer = uniqueCustomer("stalled-");
                Tokens.customer(customer);
                stalled.add(CompletableFuture.supplyAsync(
                        () -> post(newCall(customer)).statusCode(), customers));
            }
            stalled.forEach(answer -> assertEquals(503, answer.join()));
        } finally {
            customers.shutdownNow();
        }
        proxy.pass();

        for (int i = 0; i < BREAKER_WINDOW - stalled.size(); i++) {
            post(newCall(uniqueCustomer("after-stall-"))).then().statusCode(201);
        }
        assertEquals(CircuitBreakerState.CLOSED, breakers.currentState("payment-charge"));
    }

    @Test
    void aStoppedPaymentServiceGetsA503AndCallsWorkOnceItIsBack() {
        var paymentService = PaymentServiceResource.paymentService();
        paymentService.stop();
        try {
            long started = System.nanoTime();
            post(newCall(uniqueCustomer("down-")))
                    .then()
                    .statusCode(503)
                    .body("type", equalTo("urn:ascall:problem:payment-unavailable"));
            assertTrue((System.nanoTime() - started) / 1_000_000 < FAST_FAILURE_MILLIS);
        } finally {
            paymentService.restart();
            paymentService.awaitReady(Duration.ofSeconds(90));
        }
        // A freshly started JVM may miss the first timeouts; what matters is that calls work again.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> post(newCall(uniqueCustomer("back-"))).statusCode() == 201);
    }

    @Test
    void aRetryWithTheSameKeyReplaysTheAnswerWithoutASecondCallOrPayment() {
        String customer = uniqueCustomer("retry-");
        String key = UUID.randomUUID().toString();
        Response first = post(newCall(customer), key);
        first.then().statusCode(201);
        Response second = post(newCall(customer), key);
        second.then().statusCode(201).header("Idempotent-Replayed", "true");

        assertEquals(first.body().asString(), second.body().asString());
        assertEquals(first.header("Location"), second.header("Location"));
        assertEquals(1, callsOf(customer));
        assertEquals(1, paymentsOf(first.jsonPath().getString("id")).size());
    }

    @Test
    void aDeclineIsReplayedToo() {
        String customer = uniqueCustomer("declined-retry-");
        String key = UUID.randomUUID().toString();
        Response first = post(newCall(customer), key);
        first.then().statusCode(422);
        post(newCall(customer), key)
                .then()
                .statusCode(422)
                .header("Idempotent-Replayed", "true")
                .body("callId", equalTo(first.jsonPath().getString("callId")));
        assertEquals(1, callsOf(customer));
    }

    @Test
    void aKeyReusedWithAnotherBodyIs422AndChangesNothing() {
        String customer = uniqueCustomer("reuse-");
        String key = UUID.randomUUID().toString();
        post(newCall(customer), key).then().statusCode(201);
        Map<String, Object> other = new java.util.HashMap<>(newCall(customer));
        other.put("applianceType", "TV");
        post(other, key)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:idempotency-key-reused"));
        assertEquals(1, callsOf(customer));
    }

    @Test
    void aConcurrentDuplicateIs409() {
        proxy.slow(Duration.ofMillis(2000));
        String customer = uniqueCustomer("concurrent-");
        String key = UUID.randomUUID().toString();
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> post(newCall(customer), key));
        CompletableFuture<Response> second = CompletableFuture.supplyAsync(() -> post(newCall(customer), key));
        List<Integer> statuses = List.of(
                        first.join().statusCode(), second.join().statusCode())
                .stream()
                .sorted()
                .toList();
        assertEquals(List.of(201, 409), statuses);
        Response conflict = first.join().statusCode() == 409 ? first.join() : second.join();
        conflict.then()
                .body("type", equalTo("urn:ascall:problem:request-in-progress"))
                .header("Retry-After", notNullValue());
        assertEquals(1, callsOf(customer));

        proxy.pass();
        post(newCall(customer), key).then().statusCode(201).header("Idempotent-Replayed", "true");
    }

    @Test
    void aKeyedRequestThatMetAnUnavailablePaymentServiceResumesTheSameCallOnRetry() {
        proxy.slow(Duration.ofSeconds(8));
        String customer = uniqueCustomer("resume-");
        String key = UUID.randomUUID().toString();
        Response unavailable = post(newCall(customer), key);
        unavailable.then().statusCode(503).body("callStatus", equalTo("REQUESTED"));
        String callId = unavailable.jsonPath().getString("callId");

        proxy.pass();
        Response resumed = post(newCall(customer), key);
        resumed.then().statusCode(201).body("id", equalTo(callId)).body("status", equalTo("PAID"));
        assertEquals(1, callsOf(customer));
        // The first, late charge and the retry are one payment at payment-service.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Map<String, Object>> payments = paymentsOf(callId);
            assertEquals(1, payments.size());
            assertEquals("APPROVED", payments.get(0).get("status"));
        });
        api().get("/calls/" + callId).then().body("paymentId", equalTo(payments(callId)));
    }

    private static String payments(String callId) {
        return String.valueOf(paymentsOf(callId).get(0).get("id"));
    }

    @Test
    void aCallListsOnlyItsCustomersCalls() {
        String customer = uniqueCustomer("list-");
        for (int i = 0; i < 3; i++) {
            post(newCall(customer)).then().statusCode(201);
        }
        api().queryParam("customerId", customer)
                .queryParam("size", 2)
                .get("/calls")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items", hasSize(2))
                .body("page", equalTo(0))
                .body("size", equalTo(2));
        api().queryParam("customerId", customer)
                .queryParam("size", 2)
                .queryParam("page", 1)
                .get("/calls")
                .then()
                .body("items", hasSize(1));
        api().queryParam("customerId", customer)
                .queryParam("status", "PAID")
                .get("/calls")
                .then()
                .body("total", equalTo(3));
        api().queryParam("customerId", customer)
                .queryParam("status", "CANCELLED")
                .get("/calls")
                .then()
                .body("total", equalTo(0));
    }
}
