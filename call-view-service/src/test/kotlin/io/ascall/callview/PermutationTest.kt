package io.ascall.callview

import io.ascall.callview.messaging.EventReceiver
import io.ascall.callview.repository.ProjectionSchemas
import io.ascall.callview.repository.ProjectionTables
import io.ascall.callview.repository.run
import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Offer
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.TestEvent
import io.vertx.core.json.JsonObject
import io.vertx.mutiny.sqlclient.Pool
import jakarta.inject.Inject
import java.util.UUID
import kotlin.random.Random
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/**
 * The same events in any order give the same view: each order is applied to a call of its own,
 * through the inbox and projection code the consumer uses, on the real database, in a scratch
 * schema beside the live projection (so that the live one holds only what the topics hold).
 */
@CallViewServiceTest
class PermutationTest {

    @Inject lateinit var receiver: EventReceiver

    @Inject lateinit var schemas: ProjectionSchemas

    @Inject lateinit var pool: Pool

    private val scratch = ProjectionTables.beside("callview_permutations")

    @BeforeEach
    fun createScratch() {
        runBlocking { schemas.create(scratch) }
    }

    @AfterEach
    fun dropScratch() {
        runBlocking { schemas.drop(scratch) }
    }

    @Test
    fun `every order of a paid and accepted call gives the same view`() {
        val saga = SagaScript()
        val engineer = Offer("Han Ji-min")
        val events =
            listOf(
                saga.callRequested(),
                saga.callPaid(),
                saga.paymentApproved(),
                saga.engineerAssigned(engineer),
                saga.assignment("AssignmentAccepted", engineer),
            )
        val orders = permutations(events)
        assertEquals(120, orders.size)
        val views = applyEach(orders)
        assertAllEqual(views)
        assertEquals("DISPATCHED", views.first().getString("status"))
        assertEquals("APPROVED", views.first().getString("payment_status"))
        assertEquals(5L, views.first().getLong("version"))
    }

    @Test
    fun `a long saga with an expired offer, in random orders with duplicates, gives the same view`() {
        val saga = SagaScript()
        val first = Offer("Kim Min-jun")
        val second = Offer("Lee Seo-jun")
        val events =
            listOf(
                saga.callRequested(),
                saga.paymentApproved(),
                saga.callPaid(),
                saga.engineerAssigned(first),
                saga.assignment("AssignmentExpired", first),
                saga.engineerAssigned(second),
                saga.assignment("AssignmentAccepted", second),
                saga.assignment("ServiceCompleted", second),
            )
        val views = applyEach(shuffledWithDuplicates(events, orders = 150))
        assertAllEqual(views)
        val view = views.first()
        assertEquals("COMPLETED", view.getString("status"))
        assertEquals(second.engineerId.toString(), view.getString("engineer_id"))
        assertEquals(2, view.getInteger("offers_made"))
        assertEquals(8L, view.getLong("version"), "duplicates change nothing")
    }

    @Test
    fun `a cancelled and refunded saga in random orders with duplicates gives the same view`() {
        val saga = SagaScript()
        val engineer = Offer("Choi Woo-jin")
        val events =
            listOf(
                saga.callRequested(),
                saga.paymentApproved(),
                saga.callPaid(),
                saga.engineerAssigned(engineer),
                saga.callCancelled("CUSTOMER"),
                saga.assignment("AssignmentWithdrawn", engineer),
                saga.paymentRefunded(),
            )
        val views = applyEach(shuffledWithDuplicates(events, orders = 150))
        assertAllEqual(views)
        assertEquals("CANCELLED", views.first().getString("status"))
        assertEquals("CUSTOMER", views.first().getString("cancellation_reason"))
        assertEquals("REFUNDED", views.first().getString("payment_status"))
    }

    /**
     * Applies each order to a call of its own (a copy of the events with that call's id); answers
     * the views.
     */
    private fun applyEach(orders: List<List<TestEvent>>): List<JsonObject> = runBlocking {
        val parallel = Semaphore(8)
        val callIds =
            orders
                .map { order ->
                    val callId = UUID.randomUUID()
                    async {
                        parallel.withPermit {
                            // the same event ids within one order (its duplicates), new ones across
                            // orders
                            val ids = mutableMapOf<UUID, UUID>()
                            for (event in order) {
                                val copy =
                                    event.with(
                                        "callId" to callId.toString(),
                                        "eventId" to
                                            ids.getOrPut(event.eventId) { UUID.randomUUID() }
                                                .toString(),
                                    )
                                receiver.replay(scratch, Source.ofTopic(event.topic), copy.json)
                            }
                        }
                        callId
                    }
                }
                .awaitAll()
        callIds.map { callId ->
            pool
                .run("select * from ${scratch.callView} where call_id = $1", callId)
                .first()
                .toJson()
                .apply { remove("call_id") }
        }
    }

    private fun assertAllEqual(views: List<JsonObject>) {
        views.forEachIndexed { i, view -> assertEquals(views.first(), view, "order #$i") }
    }

    private fun permutations(events: List<TestEvent>): List<List<TestEvent>> =
        if (events.size <= 1) listOf(events)
        else events.flatMap { first -> permutations(events - first).map { listOf(first) + it } }

    /**
     * Random orders (a fixed seed: a failure is reproducible), each with some events delivered
     * twice or three times.
     */
    private fun shuffledWithDuplicates(
        events: List<TestEvent>,
        orders: Int,
    ): List<List<TestEvent>> {
        val random = Random(42)
        return List(orders) {
            (events +
                    events.filter { random.nextInt(3) == 0 } +
                    events.filter { random.nextInt(5) == 0 })
                .shuffled(random)
        }
    }
}
