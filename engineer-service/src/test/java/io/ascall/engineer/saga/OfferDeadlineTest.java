package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.assignment;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.TestCall;
import io.quarkus.test.junit.TestProfile;

/** The deadline holds by itself: an offer past it cannot be taken even before the expiry job has run. */
@EngineerServiceTest
@TestProfile(StalledExpiryJob.class)
class OfferDeadlineTest {

    @Test
    void anOfferPastItsDeadlineCannotBeAnswered() throws InterruptedException {
        String region = uniqueRegion("deadline");
        register("Kwon", region, "AIR_PURIFIER");
        TestCall call = new TestCall("AIR_PURIFIER", region).requestAndPay();
        Map<String, Object> offer = awaitOffers(call.id, 1).get(0);
        String id = (String) offer.get("id");
        String engineer = (String) offer.get("engineerId");

        Duration untilDeadline = Duration.between(Instant.now(), Instant.parse((String) offer.get("expiresAt")));
        Thread.sleep(Math.max(0, untilDeadline.toMillis()) + 200);

        problem(act(id, "accept", engineer), 409, "conflict").body("detail", containsString("expired"));
        problem(act(id, "reject", engineer), 409, "conflict").body("detail", containsString("expired"));
        assertEquals("OFFERED", assignment(id).getString("status"), "only the expiry job records the expiry");
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> Kafka.eventsOf(call.id).stream()
                                .map(Kafka.Received::type)
                                .toList(),
                        equalTo(List.of("EngineerAssigned")));
    }
}
