package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.assignment;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.TestCall;
import io.quarkus.test.junit.TestProfile;

/**
 * An engineer's accept, the offer's expiry and the customer's cancellation, all at the offer's
 * deadline: whichever wins, the outcome is one of the three the saga allows, with each event once,
 * the accept answered 200 or 409 (never 5xx) and consistent with what was recorded. Each round fires
 * the accept and the cancellation at its own moments around the deadline: together (true races,
 * either may win), one just before the other, or both late enough for the expiry job (every second)
 * to win; so that each of the three outcomes happens, and the races between them too.
 */
@EngineerServiceTest
@TestProfile(ShortOffers.class)
class OfferRaceTest {

    private static final List<String> ACCEPT_WON =
            List.of("EngineerAssigned", "AssignmentAccepted", "AssignmentWithdrawn");
    private static final List<String> CANCEL_WON = List.of("EngineerAssigned", "AssignmentWithdrawn");
    private static final List<String> EXPIRY_WON =
            List.of("EngineerAssigned", "AssignmentExpired", "NoEngineerAvailable");

    @Test
    void acceptRacingExpiryRacingCancellationEndsInOneAllowedOutcome() throws Exception {
        List<List<String>> outcomes = new ArrayList<>();
        // {accept, cancellation}: milliseconds from the offer's deadline
        long[][] rounds = {
            {-300, -300}, {-300, -250}, {-250, -300}, {0, 0}, {0, 40}, {40, 0}, {300, 300}, {200, 1600}, {-200, 1600}
        };
        for (int round = 0; round < rounds.length; round++) {
            long acceptAt = rounds[round][0];
            long cancelAt = rounds[round][1];
            String region = uniqueRegion("race");
            register("Racer", region, "WASHER");
            TestCall call = new TestCall("WASHER", region).requestAndPay();
            Map<String, Object> offer = awaitOffers(call.id, 1).get(0);
            String id = (String) offer.get("id");
            String engineer = (String) offer.get("engineerId");
            Instant deadline = Instant.parse((String) offer.get("expiresAt"));
            CompletableFuture<Integer> accept = CompletableFuture.supplyAsync(() -> {
                sleepUntil(deadline.plusMillis(acceptAt));
                return act(id, "accept", engineer).extract().statusCode();
            });
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                sleepUntil(deadline.plusMillis(cancelAt));
                call.send(call.cancelled("CUSTOMER"));
            });
            int answered = accept.get();
            cancel.get();

            List<String> events = await().atMost(Duration.ofSeconds(30))
                    .pollDelay(Duration.ofSeconds(3)) // what follows the first events (a withdrawal) comes too
                    .until(
                            () -> Kafka.eventsOf(call.id).stream()
                                    .map(Kafka.Received::type)
                                    .toList(),
                            seen -> seen.equals(ACCEPT_WON) || seen.equals(CANCEL_WON) || seen.equals(EXPIRY_WON));
            String status = assignment(id).getString("status");
            String round_ = "round " + round + " (accept at " + acceptAt + " ms, cancel at " + cancelAt
                    + " ms): accept " + answered + ", " + events + ", " + status;
            assertTrue(answered == 200 || answered == 409, round_);
            assertEquals(
                    answered == 200,
                    events.equals(ACCEPT_WON),
                    "an accepted offer, and only that, was dispatched: " + round_);
            assertEquals(events.equals(EXPIRY_WON) ? "EXPIRED" : "WITHDRAWN", status, round_);
            assertEquals("CANCELLED", Database.dispatchState(call.id), round_);
            assertEquals(events.size(), new HashSet<>(events).size(), "an event twice: " + round_);
            outcomes.add(events);
        }
        // not asserted (timing on a shared machine decides), but printed: which won how often
        System.out.println("offer races: " + outcomes);
    }

    private static void sleepUntil(Instant moment) {
        try {
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), moment).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
