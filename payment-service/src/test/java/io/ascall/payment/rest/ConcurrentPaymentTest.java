package io.ascall.payment.rest;

import static io.ascall.payment.PaymentsApi.asOperator;
import static io.ascall.payment.PaymentsApi.newCallId;
import static io.ascall.payment.PaymentsApi.newCustomer;
import static io.ascall.payment.PaymentsApi.pay;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;

import io.ascall.apitesting.TestIssuer;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.payment.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/** Duplicate POSTs racing for one call: one payment, one charge, and no 5xx. */
@QuarkusTest
@QuarkusTestResource(TestIssuer.class)
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {@ResourceArg(name = "database", value = "payment"), @ResourceArg(name = "kafka", value = "true")})
class ConcurrentPaymentTest {

    private static final int REQUESTS = 8;

    @Inject
    TestDatabase database;

    @RepeatedTest(3)
    void concurrentDuplicatesMakeOnePaymentAndOneCharge() throws Exception {
        UUID callId = newCallId();
        String customer = newCustomer("c-");
        List<Response> answers = race(() -> pay(callId, customer, 30_000));

        long created =
                answers.stream().filter(answer -> answer.statusCode() == 201).count();
        assertEquals(1, created, "exactly one request creates the payment");
        String id = answers.stream()
                .filter(answer -> answer.statusCode() == 201)
                .findFirst()
                .orElseThrow()
                .path("id");
        for (Response answer : answers) {
            switch (answer.statusCode()) {
                case 201, 200 -> {
                    assertEquals(id, answer.path("id"));
                    assertEquals("APPROVED", answer.path("status"));
                }
                case 409 -> {
                    assertEquals("urn:ascall:problem:request-in-progress", answer.path("type"));
                    assertEquals("1", answer.header("Retry-After"));
                }
                default ->
                    throw new AssertionError("unexpected answer " + answer.statusCode() + ": " + answer.asString());
            }
        }

        asOperator()
                .queryParam("callId", callId.toString())
                .when()
                .get("/payments")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].id", equalTo(id));
        assertEquals(1, database.gatewayCharges(customer));
        assertEquals(1, (int) database.gatewayCharge(UUID.fromString(id)).getInteger("requests"));
        pay(callId, customer, 30_000).then().statusCode(200).body("id", equalTo(id));
    }

    /** Starts all requests at once, from as many threads. */
    private static List<Response> race(Callable<Response> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> future : futures) {
                answers.add(future.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
