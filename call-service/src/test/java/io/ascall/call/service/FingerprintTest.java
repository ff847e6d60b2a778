package io.ascall.call.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.call.rest.CallRequest;
import io.ascall.events.ApplianceType;

/**
 * The fingerprint of a request is what it was when CallIntake hashed the request body itself:
 * keys stored before (kept 24 h) still recognise their retries after a deployment.
 */
class FingerprintTest {

    private final ObjectMapper json = new ObjectMapper();

    /** The request body as it was when the fingerprints were first made (the customer in it). */
    record RequestBodyBefore(
            String customerId, ApplianceType applianceType, String region, String address, String description) {}

    @Test
    void isTheHashOfTheRequestBodyAsBefore() throws JsonProcessingException, NoSuchAlgorithmException {
        RequestBodyBefore request =
                new RequestBodyBefore("alice", ApplianceType.WASHER, "seoul-gangnam", "12 Teheran-ro", null);
        String before = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(json.writeValueAsBytes(Map.of("POST /calls", request))));
        CallRequest now = new CallRequest(ApplianceType.WASHER, "seoul-gangnam", "12 Teheran-ro", null);
        assertEquals(before, CallIntake.fingerprint(json, now.toNewCall("alice")));
    }

    @Test
    void tellsRequestsApart() {
        NewCall washer = new NewCall("alice", ApplianceType.WASHER, "seoul-gangnam", "12 Teheran-ro", null);
        NewCall tv = new NewCall("alice", ApplianceType.TV, "seoul-gangnam", "12 Teheran-ro", null);
        assertNotEquals(CallIntake.fingerprint(json, washer), CallIntake.fingerprint(json, tv));
    }
}
