package io.ascall.call;

import static io.ascall.call.support.Calls.asCustomer;
import static io.ascall.call.support.Calls.newCall;
import static io.ascall.call.support.Calls.paymentsOf;
import static io.ascall.call.support.Calls.uniqueCustomer;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ascall.call.support.CallServiceTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * payment-service takes charges from call-service's own identity alone: with a wrong client secret
 * call-service gets no such token, and a call's charge is answered as an unavailable payment (503,
 * retry later) with nothing charged.
 */
@CallServiceTest
@TestProfile(WrongClientSecretTest.WrongSecret.class)
class WrongClientSecretTest {

    public static class WrongSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc-client.credentials.secret", "not-the-secret");
        }
    }

    @Test
    void withoutItsOwnIdentityCallServiceChargesNothing() {
        String customer = uniqueCustomer("wrong-secret-");
        Map<String, Object> body = new HashMap<>(newCall(customer));
        body.remove("customerId");
        String callId = asCustomer(customer)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/calls")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:payment-unavailable"))
                .extract()
                .path("callId");
        // payment-service may already hold the bar that CallPaymentFailed makes it write (a VOIDED
        // payment of nothing, so that a late charge is refused): anything else would be a charge
        List<Map<String, Object>> payments = paymentsOf(callId);
        assertTrue(
                payments.stream()
                        .allMatch(p -> "VOIDED".equals(p.get("status")) && ((Number) p.get("amount")).intValue() == 0),
                "nothing may be charged without call-service's identity: " + payments);
    }
}
