package io.ascall.callview

import io.ascall.callview.messaging.EventReceiver
import io.ascall.callview.rest.CallViewResource
import io.ascall.callview.stream.CallViewStreams
import io.ascall.callview.stream.StreamItem
import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Callers.api
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Offer
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.SseClient
import io.ascall.callview.support.Views
import io.smallrye.mutiny.helpers.test.AssertSubscriber
import io.smallrye.mutiny.subscription.BackPressureFailure
import jakarta.inject.Inject
import java.time.Duration
import java.util.UUID
import kotlinx.coroutines.runBlocking
import org.awaitility.Awaitility.await
import org.hamcrest.Matchers.equalTo
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

/**
 * `GET /call-views/{callId}/stream` with a real HTTP client. Changes reach a stream only through
 * PostgreSQL NOTIFY (there is no in-memory path from the consumer to the streams), so these tests
 * also show that a change committed by any replica reaches every replica's streams.
 */
@CallViewServiceTest
class CallViewStreamTest {

    @Inject lateinit var receiver: EventReceiver

    @Inject lateinit var streams: CallViewStreams

    @Test
    fun `the current view at once, then every change live, with heartbeats`() {
        val saga = SagaScript()
        val engineer = Offer("Yoo Jae-suk")
        Kafka.send(saga.callRequested(), saga.callPaid())
        Views.awaitVersion(saga.callId, 2)

        SseClient.open("/call-views/${saga.callId}/stream").use { stream ->
            assertEquals(200, stream.response.statusCode())
            assertEquals(
                "text/event-stream",
                stream.response.headers().firstValue("Content-Type").get().substringBefore(';'),
            )
            val current = stream.next()
            assertEquals(CallViewResource.EVENT_NAME, current.name)
            assertEquals("2", current.id)
            assertEquals("PAID", current.view.getString("status"))

            Kafka.send(saga.engineerAssigned(engineer))
            val assigned = stream.next()
            assertEquals("3", assigned.id)
            assertEquals("ENGINEER_ASSIGNED", assigned.view.getString("status"))
            assertEquals("Yoo Jae-suk", assigned.view.getString("engineerName"))

            Kafka.send(
                saga.assignment("AssignmentAccepted", engineer),
                saga.assignment("ServiceCompleted", engineer),
            )
            val completed = stream.nextUntil { it.getString("status") == "COMPLETED" }
            assertEquals("5", completed.id)
            await().atMost(Duration.ofSeconds(5)).until { stream.heartbeats >= 1 }
            assertNull(stream.nextOrNull(Duration.ofMillis(500)), "nothing more changed")
        }
    }

    @Test
    fun `a stream opened before the view knows the call starts when it does`() {
        val saga = SagaScript()
        SseClient.open("/call-views/${saga.callId}/stream").use { stream ->
            assertNull(stream.nextOrNull(Duration.ofMillis(1500)))
            Kafka.send(saga.callRequested())
            val first = stream.next()
            assertEquals("1", first.id)
            assertEquals("REQUESTED", first.view.getString("status"))
        }
    }

    @Test
    fun `a reconnecting client gets only what changed since its Last-Event-ID`() {
        val saga = SagaScript()
        Kafka.send(saga.callRequested(), saga.paymentApproved())
        Views.awaitVersion(saga.callId, 2)

        SseClient.open("/call-views/${saga.callId}/stream", lastEventId = "2").use { stream ->
            assertNull(
                stream.nextOrNull(Duration.ofMillis(1500)),
                "the client has version 2 already",
            )
            Kafka.send(saga.callPaid())
            assertEquals("3", stream.next().id)
        }
        SseClient.open("/call-views/${saga.callId}/stream", lastEventId = "1").use { stream ->
            assertEquals("3", stream.next().id, "one event with the whole current view")
        }
    }

    @Test
    fun `a change another replica commits reaches the stream`() {
        val saga = SagaScript()
        Kafka.send(saga.callRequested())
        Views.awaitVersion(saga.callId, 1)
        SseClient.open("/call-views/${saga.callId}/stream").use { stream ->
            assertEquals("1", stream.next().id)
            // what another replica's consumer does with an event: the inbox's transaction, whose
            // NOTIFY
            // every replica hears; the same event then reaches this replica too (and is skipped),
            // and
            // stays in the topic for a rebuild
            val paid = saga.callPaid()
            runBlocking { receiver.receive(Source.CALL, paid.json) }
            assertEquals("PAID", stream.next().view.getString("status"))
            Kafka.send(paid)
        }
    }

    @Test
    fun `a client that does not read is dropped once its buffer is full`() {
        val saga = SagaScript()
        val before = streams.openStreams()
        // the test profile's buffer holds 4 items; heartbeats come every second
        val subscriber =
            streams
                .follow(saga.callId, 0)
                .subscribe()
                .withSubscriber(AssertSubscriber.create<StreamItem>(0))
        assertEquals(before + 1, streams.openStreams())
        subscriber.awaitFailure(Duration.ofSeconds(15))
        assertInstanceOf(BackPressureFailure::class.java, subscriber.failure)
        await().atMost(Duration.ofSeconds(5)).until { streams.openStreams() == before }
    }

    @Test
    fun `a stream of no call, or with a bad Last-Event-ID, is a problem`() {
        api()
            .accept("text/event-stream")
            .get("/call-views/nobody/stream")
            .then()
            .statusCode(404)
            .contentType("application/problem+json")
            .body("type", equalTo("urn:ascall:problem:not-found"))
        api()
            .accept("text/event-stream")
            .header("Last-Event-ID", "yesterday")
            .get("/call-views/${UUID.randomUUID()}/stream")
            .then()
            .statusCode(400)
            .contentType("application/problem+json")
            .body("errors[0].field", equalTo("Last-Event-ID"))
    }
}
