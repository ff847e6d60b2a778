package io.ascall.engineer.stream;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.api;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static io.ascall.engineer.support.Problems.problem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.SseClient;
import io.ascall.engineer.support.SseClient.Event;
import io.ascall.engineer.support.TestCall;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * An engineer's live stream over real HTTP: what arrives, in which order and with which ids;
 * resuming with {@code Last-Event-ID}; heartbeats; what happens to a client that stops reading.
 */
@EngineerServiceTest
@TestProfile(StreamTimings.class)
class AssignmentStreamTest {

    private static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    AssignmentFeed feed;

    @Inject
    EngineerStreams streams;

    @Test
    void everyChangeOfAnAssignmentArrivesOnItsEngineersStream() {
        String region = uniqueRegion("stream");
        String engineer = register("Baek", region, "WASHER");
        try (SseClient stream = SseClient.open(path(engineer))) {
            assertEquals(200, stream.status());
            assertThat(stream.header("Content-Type"), startsWith("text/event-stream"));
            assertEquals("no-store", stream.header("Cache-Control"));
            Event opened = stream.awaitOpened();
            assertEquals("0", opened.id(), "a new engineer's feed starts at 0");
            assertEquals(engineer, opened.json().get("engineerId"));

            TestCall call = new TestCall("WASHER", region).requestAndPay();
            Event offered = stream.awaitEvent("assignment-offered", call.id);
            Map<String, Object> offer = offered.json();
            assertEquals("1", offered.id());
            assertEquals("OFFERED", offer.get("status"));
            assertEquals(engineer, offer.get("engineerId"));
            assertEquals("WASHER", offer.get("applianceType"));
            assertEquals(region, offer.get("region"));
            assertEquals("12 Teheran-ro, Gangnam-gu", offer.get("address"));
            assertNotNull(offer.get("expiresAt"));
            String assignment = (String) offer.get("id");

            act(assignment, "accept", engineer).statusCode(200);
            Event accepted = stream.awaitEvent("assignment-accepted", call.id);
            assertEquals("2", accepted.id());
            assertEquals("ACCEPTED", accepted.json().get("status"));
            assertNotNull(accepted.json().get("respondedAt"));

            act(assignment, "accept", engineer).statusCode(200);
            act(assignment, "complete", engineer).statusCode(200);
            Event completed = stream.awaitEvent("assignment-completed", call.id);
            assertEquals("3", completed.id());
            assertEquals("COMPLETED", completed.json().get("status"));
            assertEquals(
                    List.of("assignment-offered", "assignment-accepted", "assignment-completed"),
                    stream.feedEvents().stream().map(Event::name).toList(),
                    "an answer repeated changes nothing");
        }
    }

    @Test
    void anOfferMovesFromOneEngineersStreamToTheNextOne() {
        String region = uniqueRegion("stream-moves");
        String first = register("Cha", region, "DRYER");
        String second = register("Do", region, "DRYER");
        try (SseClient firstStream = SseClient.open(path(first));
                SseClient secondStream = SseClient.open(path(second))) {
            firstStream.awaitOpened();
            secondStream.awaitOpened();
            TestCall call = new TestCall("DRYER", region).requestAndPay();
            // both are equally free: the lower id is offered first
            boolean firstIsOffered = first.compareTo(second) < 0;
            SseClient offeredStream = firstIsOffered ? firstStream : secondStream;
            SseClient nextStream = firstIsOffered ? secondStream : firstStream;
            String offeredEngineer = firstIsOffered ? first : second;

            Map<String, Object> offer =
                    offeredStream.awaitEvent("assignment-offered", call.id).json();
            act((String) offer.get("id"), "reject", offeredEngineer).statusCode(200);
            assertEquals(
                    "REJECTED",
                    offeredStream
                            .awaitEvent("assignment-rejected", call.id)
                            .json()
                            .get("status"));
            Map<String, Object> next =
                    nextStream.awaitEvent("assignment-offered", call.id).json();
            assertEquals("OFFERED", next.get("status"));

            // nobody answers the second offer: it expires (engineer.offer.timeout of this profile)
            assertEquals(
                    "EXPIRED",
                    nextStream.awaitEvent("assignment-expired", call.id).json().get("status"));

            TestCall cancelled = new TestCall("DRYER", region).requestAndPay();
            SseClient holder = await().atMost(SOON)
                    .until(
                            () -> List.of(firstStream, secondStream).stream()
                                    .filter(stream -> hasEventOf(stream, cancelled.id))
                                    .findFirst(),
                            found -> found.isPresent())
                    .get();
            cancelled.send(cancelled.cancelled("CUSTOMER"));
            assertEquals(
                    "WITHDRAWN",
                    holder.awaitEvent("assignment-withdrawn", cancelled.id)
                            .json()
                            .get("status"));
        }
    }

    @Test
    void anUnknownEngineerOrABadPositionIsAProblemBeforeTheStreamStarts() {
        problem(
                api().accept("text/event-stream")
                        .get(path(UUID.randomUUID().toString()))
                        .then(),
                404,
                "not-found");
        problem(api().accept("text/event-stream").get(path("not-an-id")).then(), 404, "not-found");

        String engineer = register("Eom", uniqueRegion("stream-bad"), "TV");
        problem(
                        api().accept("text/event-stream")
                                .header("Last-Event-ID", "yesterday")
                                .get(path(engineer))
                                .then(),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("Last-Event-ID"));
        problem(
                        api().accept("text/event-stream")
                                .queryParam("lastEventId", "-1")
                                .get(path(engineer))
                                .then(),
                        400,
                        "validation")
                .body("errors[0].field", equalTo("lastEventId"));
    }

    @Test
    void aClientThatReconnectsIsSentExactlyWhatItMissed() {
        UUID engineer = UUID.fromString(register("Gil", uniqueRegion("stream-resume"), "OVEN"));
        FeedWriter writer = new FeedWriter(feed);
        writer.offers(engineer, 5, 5);

        long lastSeen;
        try (SseClient stream = SseClient.open(path(engineer))) {
            assertEquals("5", stream.awaitOpened().id(), "a new client starts after the latest entry");
            writer.offers(engineer, 3, 1);
            stream.awaitSeq(8, SOON);
            assertEquals(List.of(6L, 7L, 8L), seqs(stream));
            lastSeen = 8;
        }
        await().atMost(SOON).until(() -> streams.openStreams(engineer), equalTo(0));

        // missed while away: more than two pages of the replay (buffer 16)
        writer.offers(engineer, 40, 10);
        try (SseClient resumed = SseClient.open(path(engineer), "Last-Event-ID", Long.toString(lastSeen))) {
            assertEquals(Long.toString(lastSeen), resumed.awaitOpened().id());
            resumed.awaitSeq(48, SOON);
            writer.offers(engineer, 1, 1);
            resumed.awaitSeq(49, SOON);
            assertEquals(range(9, 49), seqs(resumed), "the missed entries, then the new one, each once");
        }

        try (SseClient byQuery = SseClient.open(path(engineer) + "?lastEventId=44")) {
            byQuery.awaitSeq(49, SOON);
            assertEquals(range(45, 49), seqs(byQuery));
        }
        try (SseClient both = SseClient.open(path(engineer) + "?lastEventId=10", "Last-Event-ID", "47")) {
            both.awaitSeq(49, SOON);
            assertEquals(range(48, 49), seqs(both), "the header, which EventSource keeps up to date, wins");
        }
        try (SseClient ahead = SseClient.open(path(engineer), "Last-Event-ID", "1000")) {
            assertEquals("49", ahead.awaitOpened().id(), "a position the feed never gave starts at its latest entry");
            writer.offers(engineer, 1, 1);
            ahead.awaitSeq(50, SOON);
            assertEquals(List.of(50L), seqs(ahead));
        }
    }

    @Test
    void theReplayHandsOverToLiveEntriesWithoutAGapOrADuplicate() throws InterruptedException {
        UUID engineer = UUID.fromString(register("Ha", uniqueRegion("stream-handover"), "TV"));
        FeedWriter writer = new FeedWriter(feed);
        writer.offers(engineer, 200, 50);
        Thread writing = new Thread(() -> writer.offers(engineer, 200, 1), "feed-writer");
        writing.start();
        // clients that connect while entries are being committed, each from another position
        try (SseClient fromStart = SseClient.open(path(engineer), "Last-Event-ID", "0");
                SseClient fromMiddle = SseClient.open(path(engineer), "Last-Event-ID", "120");
                SseClient nearTheEnd = SseClient.open(path(engineer), "Last-Event-ID", "199")) {
            writing.join(Duration.ofSeconds(60).toMillis());
            assertFalse(writing.isAlive(), "the writer finished");
            for (SseClient client : List.of(fromStart, fromMiddle, nearTheEnd)) {
                client.awaitSeq(400, SOON);
            }
            assertEquals(range(1, 400), seqs(fromStart));
            assertEquals(range(121, 400), seqs(fromMiddle));
            assertEquals(range(200, 400), seqs(nearTheEnd));
        }
    }

    @Test
    void anIdleStreamGetsAHeartbeatComment() throws InterruptedException {
        String engineer = register("Im", uniqueRegion("stream-heartbeat"), "OVEN");
        try (SseClient stream = SseClient.open(path(engineer))) {
            stream.awaitOpened();
            Thread.sleep(3500);
            List<String> comments = stream.comments();
            assertThat(
                    "a comment about every second (engineer.stream.heartbeat=1s)",
                    comments.size(),
                    greaterThanOrEqualTo(2));
            assertTrue(comments.stream().allMatch("keep-alive"::equals), comments.toString());
            assertEquals(List.of(), stream.feedEvents());
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffAndResumesFromTheDatabase() {
        UUID engineer = UUID.fromString(register("Jin", uniqueRegion("stream-stalled"), "WASHER"));
        long cutOffBefore = streams.figures().cutOff();
        FeedWriter writer = new FeedWriter(feed);
        try (SseClient stalled = SseClient.stalled(path(engineer))) {
            await().atMost(SOON).until(() -> streams.openStreams(engineer), equalTo(1));
            // entries of a few hundred bytes, until the socket's buffers are full and then the stream's
            int written = 0;
            while (streams.openStreams(engineer) > 0 && written < 20_000) {
                writer.offers(engineer, 100, 100);
                written += 100;
            }
            int total = written;
            await().atMost(SOON).until(() -> streams.openStreams(engineer), equalTo(0));
            assertThat("the stalled client was cut off before everything was written", total, lessThan(20_000));
            EngineerStreams.Figures figures = streams.figures();
            assertThat(figures.cutOff(), greaterThanOrEqualTo(cutOffBefore + 1));
            assertThat(
                    "never more held for one client than engineer.stream.buffer",
                    figures.largestBacklog(),
                    lessThanOrEqualTo(StreamTimings.BUFFER));

            // what reached the client before the cut: the first entries in order, then the connection ends without
            // the response's last chunk
            stalled.startReading();
            await().atMost(SOON).until(stalled::ended);
            assertFalse(stalled.endedCleanly(), "the connection was cut, the response not ended");
            List<Long> received = seqs(stalled);
            long lastReceived = received.isEmpty() ? 0 : received.get(received.size() - 1);
            assertEquals(range(1, lastReceived), received);
            assertThat(lastReceived, lessThan((long) total));

            try (SseClient resumed = SseClient.open(path(engineer), "Last-Event-ID", Long.toString(lastReceived))) {
                resumed.awaitSeq(total, Duration.ofSeconds(60));
                assertEquals(range(lastReceived + 1, total), seqs(resumed));
            }
        }
    }

    @Test
    void aClosedConnectionIsForgotten() {
        UUID engineer = UUID.fromString(register("Kim", uniqueRegion("stream-closed"), "TV"));
        SseClient stream = SseClient.open(path(engineer));
        stream.awaitOpened();
        assertEquals(1, streams.openStreams(engineer));
        stream.close();
        await().atMost(SOON).until(() -> streams.openStreams(engineer), equalTo(0));
    }

    private static String path(Object engineer) {
        return "/engineers/" + engineer + "/assignments/stream";
    }

    private static boolean hasEventOf(SseClient stream, UUID callId) {
        return stream.feedEvents().stream()
                .anyMatch(event -> callId.toString().equals(event.json().get("callId")));
    }

    private static List<Long> seqs(SseClient stream) {
        return stream.feedEvents().stream().map(Event::seq).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
