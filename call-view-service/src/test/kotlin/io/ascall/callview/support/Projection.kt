package io.ascall.callview.support

import io.ascall.callview.health.ProjectionReadiness
import io.ascall.callview.repository.run
import io.restassured.RestAssured.given
import io.vertx.core.json.JsonObject
import io.vertx.mutiny.sqlclient.Pool
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.awaitility.Awaitility.await

/** The projection's tables as they are, for comparisons, and its readiness data. */
object Projection {

    /**
     * Every row of the four tables of the projection in [schema], without the times of processing.
     */
    data class Snapshot(
        val views: List<JsonObject>,
        val streams: List<JsonObject>,
        val parked: List<JsonObject>,
        val eventIds: Set<String>,
    )

    fun snapshot(pool: Pool, schema: String): Snapshot = runBlocking {
        fun rows(sql: String) = runBlocking { pool.run(sql).map { it.toJson() } }
        Snapshot(
            views = rows("select * from $schema.call_view order by call_id"),
            streams = rows("select * from $schema.event_stream order by source, call_id"),
            parked =
                rows(
                    "select source, call_id, sequence, payload from $schema.deferred_event order by source, call_id, sequence"
                ),
            eventIds =
                rows("select event_id from $schema.processed_event")
                    .map { it.getString("event_id") }
                    .toSet(),
        )
    }

    /** The readiness data of the projection check. */
    @Suppress("UNCHECKED_CAST")
    fun readinessData(): Map<String, Any?> =
        given()
            .get("/q/health/ready")
            .then()
            .extract()
            .jsonPath()
            .getList<Map<String, Any?>>("checks")
            .first { it["name"] == ProjectionReadiness.NAME }["data"]
            as Map<String, Any?>

    fun lag(topic: String): Long? = (readinessData()["lag.$topic"] as Number?)?.toLong()

    /**
     * Waits until the consumer group has processed and committed everything of the three topics.
     */
    fun awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until {
            listOf("call-events", "payment-events", "engineer-events").all { lag(it) == 0L }
        }
    }
}
