package io.ascall.callview

import io.ascall.callview.repository.run
import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Callers.api
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Kafka.header
import io.ascall.callview.support.Offer
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.TestEvent
import io.ascall.callview.support.Views
import io.vertx.mutiny.sqlclient.Pool
import jakarta.inject.Inject
import java.time.Duration
import java.util.UUID
import kotlinx.coroutines.runBlocking
import org.awaitility.Awaitility.await
import org.hamcrest.MatcherAssert.assertThat
import org.hamcrest.Matchers.containsString
import org.hamcrest.Matchers.equalTo
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

/**
 * What the view does with the records Kafka really delivers: redeliveries, events of one source out
 * of order, events of other sources before the call's own CallRequested, and records it cannot
 * read.
 */
@CallViewServiceTest
class DeliveryTest {

    @Inject lateinit var pool: Pool

    @Test
    fun `redelivered events change nothing`() {
        val saga = SagaScript()
        val engineer = Offer("Son Ye-jin")
        val requested = saga.callRequested()
        val approved = saga.paymentApproved()
        val paid = saga.callPaid()
        val assigned = saga.engineerAssigned(engineer)
        Kafka.send(
            requested,
            requested,
            approved,
            paid,
            approved,
            requested,
            assigned,
            paid,
            assigned,
        )

        val view = Views.awaitVersion(saga.callId, 4)
        assertEquals("ENGINEER_ASSIGNED", view.getString("status"))
        assertEquals(1, view.getInt("offersMade"))
        Kafka.send(assigned, approved)
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until({ Views.get(saga.callId).getInt("version") }, equalTo(4))
        assertEquals(view.prettify(), Views.get(saga.callId).prettify())
    }

    /**
     * The original design lost exactly this: the payment's event came first and paymentStatus
     * stayed null.
     */
    @Test
    fun `events that arrive before CallRequested are kept and show once the call is known`() {
        val saga = SagaScript()
        val engineer = Offer("Lim Soo-ah")
        val requested = saga.callRequested()
        val paid = saga.callPaid()
        Kafka.send(saga.paymentApproved(), saga.engineerAssigned(engineer))

        await()
            .during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(5))
            .until({ Views.status(saga.callId) }, equalTo(404))
        api()
            .queryParam("customerId", saga.customerId)
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("total", equalTo(0))

        Kafka.send(paid) // call-service's second event, parked until its first arrives
        Kafka.send(requested)
        val view = Views.awaitVersion(saga.callId, 4)
        assertEquals("APPROVED", view.getString("paymentStatus"))
        assertEquals("ENGINEER_ASSIGNED", view.getString("status"))
        assertEquals(engineer.engineerId.toString(), view.getString("engineerId"))
        assertEquals(saga.customerId, view.getString("customerId"))
    }

    @Test
    fun `a source's events that arrive out of order are applied in its order`() {
        val saga = SagaScript()
        val engineer = Offer("Oh Ji-ho")
        val requested = saga.callRequested()
        val paid = saga.callPaid()
        val cancelled = saga.callCancelled("CUSTOMER")
        val assigned = saga.engineerAssigned(engineer)
        val withdrawn = saga.assignment("AssignmentWithdrawn", engineer)
        Kafka.send(withdrawn, cancelled, paid)
        Kafka.send(requested, assigned)

        val view = Views.awaitVersion(saga.callId, 5)
        assertEquals("CANCELLED", view.getString("status"))
        assertEquals("CUSTOMER", view.getString("cancellationReason"))
        assertEquals(engineer.engineerId.toString(), view.getString("engineerId"))
        assertEquals(
            withdrawn.occurredAt,
            view.getString("lastEventAt"),
            "the latest of the events, whatever their order",
        )
    }

    @Test
    fun `unreadable records are dead-lettered with the reason and the channel goes on`() {
        val garbageKey = UUID.randomUUID().toString()
        Kafka.sendRaw("call-events", garbageKey, "this is not JSON {")
        val wrongSource = SagaScript()
        Kafka.sendRaw(
            "call-events",
            wrongSource.callId.toString(),
            wrongSource.paymentApproved().json,
        )
        val noSequence = SagaScript()
        Kafka.sendRaw(
            "engineer-events",
            noSequence.callId.toString(),
            noSequence.noEngineerAvailable(0).with("sequence" to null).json,
        )

        assertThat(
            Kafka.deadLetters(garbageKey, 1).single().header("dead-letter-reason"),
            containsString("not JSON"),
        )
        assertEquals("this is not JSON {", Kafka.deadLetters(garbageKey, 1).single().value())
        assertThat(
            Kafka.deadLetters(wrongSource.callId.toString(), 1)
                .single()
                .header("dead-letter-reason"),
            containsString("only call-service writes"),
        )
        assertThat(
            Kafka.deadLetters(noSequence.callId.toString(), 1)
                .single()
                .header("dead-letter-reason"),
            containsString("sequence"),
        )

        val saga = SagaScript()
        Kafka.send(saga.callRequested())
        assertEquals("REQUESTED", Views.awaitVersion(saga.callId, 1).getString("status"))
    }

    @Test
    fun `an unknown or broken event is dead-lettered but takes its place, so the later ones apply`() {
        val saga = SagaScript()
        val requested = saga.callRequested()
        val teleported = saga.callPaid().with("type" to "CallTeleported")
        val broken = saga.callCancelled("CUSTOMER").with("reason" to 42)
        val approved = saga.paymentApproved().with("paymentId" to "not-a-uuid")
        val refunded = saga.paymentRefunded()
        Kafka.send(requested, teleported, broken, approved, refunded)

        val deadLetters = Kafka.deadLetters(saga.callId.toString(), 3)
        assertEquals(
            setOf("CallTeleported", "CallCancelled", "PaymentApproved"),
            deadLetters.map { TestEvent.JSON.readTree(it.value())["type"].asText() }.toSet(),
        )
        val reasons = deadLetters.map { it.header("dead-letter-reason")!! }
        assertThat(reasons.joinToString(), containsString("unknown event type 'CallTeleported'"))
        assertThat(reasons.joinToString(), containsString("CallCancelled with a malformed field"))
        assertThat(reasons.joinToString(), containsString("PaymentApproved with a malformed field"))

        val view = Views.awaitVersion(saga.callId, 2)
        assertEquals(
            "REFUNDED",
            view.getString("paymentStatus"),
            "applied after the broken PaymentApproved's place",
        )
        assertEquals("REQUESTED", view.getString("status"))

        // past the contract's bounds, which the view's columns hold no more than
        val tooLong = SagaScript()
        Kafka.send(tooLong.callRequested().with("region" to "r".repeat(65)))
        assertThat(
            Kafka.deadLetters(tooLong.callId.toString(), 1).single().header("dead-letter-reason"),
            containsString("CallRequested with 'region' longer than 64 characters"),
        )
    }

    /**
     * The Java services' inbox once applied a parked event with the step of the event that filled
     * its gap. Here the gap is filled by an event the view cannot use (dead-lettered, yet taking
     * its place): the parked CallCancelled must still be applied, as a cancellation.
     */
    @Test
    fun `a parked event is applied as its own type when the gap is filled by a dead-lettered event`() {
        val unknownType = SagaScript()
        val brokenField = SagaScript()
        val cancelled =
            mapOf(
                unknownType to
                    parkCancellationThenFillGap(unknownType) {
                        it.with("type" to "CallTeleported")
                    },
                brokenField to
                    parkCancellationThenFillGap(brokenField) {
                        it.with("paymentId" to "not-a-uuid")
                    },
            )

        for ((saga, cancellation) in cancelled) {
            assertEquals(
                1,
                Kafka.deadLetters(saga.callId.toString(), 1).size,
                "the event that filled the gap",
            )
            val view = Views.await(saga.callId) { it.getInt("version") == 2 }
            assertEquals("CANCELLED", view.getString("status"))
            assertEquals("CUSTOMER", view.getString("cancellationReason"))
            assertEquals(cancellation.occurredAt, view.getString("cancelledAt"))
            assertNull(view.getString("paidAt"), "nothing of the CallPaid that filled the gap")
            assertEquals(emptyList<Long>(), parked(saga.callId))
        }
    }

    /**
     * Publishes the call's CallRequested (#1) and CallCancelled (#3), waits until #3 is parked,
     * then publishes #2, a CallPaid made unusable by [spoil]. Returns #3.
     */
    private fun parkCancellationThenFillGap(
        saga: SagaScript,
        spoil: (TestEvent) -> TestEvent,
    ): TestEvent {
        val requested = saga.callRequested()
        val gap = spoil(saga.callPaid())
        val cancelled = saga.callCancelled("CUSTOMER")
        Kafka.send(requested, cancelled)
        Views.awaitVersion(saga.callId, 1)
        await().atMost(Duration.ofSeconds(10)).until { parked(saga.callId) == listOf(3L) }
        Kafka.send(gap)
        return cancelled
    }

    /** The sequences of call-service's events of the call that wait for an earlier one. */
    private fun parked(callId: UUID): List<Long> = runBlocking {
        pool
            .run(
                "select sequence from deferred_event where source = 'call-service' and call_id = $1 order by sequence",
                callId,
            )
            .map { it.getLong(0) }
    }
}
