package io.ascall.callview.rebuild

import com.fasterxml.jackson.core.type.TypeReference
import com.fasterxml.jackson.databind.ObjectMapper
import io.ascall.callview.config.CallViewConfig
import io.ascall.callview.repository.inTransaction
import io.ascall.callview.repository.instant
import io.ascall.callview.repository.run
import io.ascall.problem.CommonProblemType
import io.ascall.problem.Problem
import io.quarkus.runtime.annotations.RegisterForReflection
import io.vertx.mutiny.sqlclient.Pool
import io.vertx.mutiny.sqlclient.Row
import jakarta.enterprise.context.ApplicationScoped
import java.time.Instant
import java.util.UUID
import org.eclipse.microprofile.openapi.annotations.media.Schema

/** Where a rebuild is. */
enum class RebuildState {
    /** Reading the topics into the tables beside the live ones, or swapping them in. */
    RUNNING,
    /** Swapped in: the live projection is the rebuilt one. */
    COMPLETED,
    /** Stopped by an error; the live projection is untouched. */
    FAILED,
    /** Its replica stopped while it ran; the live projection is untouched. */
    ABANDONED,
}

/**
 * How far a rebuild has read one topic, summed over its partitions.
 *
 * @property position the offset the rebuild reads next
 * @property end the offset after the topic's last record, when last looked at
 */
@RegisterForReflection
@Schema(description = "How far a rebuild has read one topic, summed over its partitions")
data class TopicProgress(
    @field:Schema(required = true) val topic: String = "",
    @field:Schema(required = true, description = "The offset the rebuild reads next")
    val position: Long = 0,
    @field:Schema(
        required = true,
        description = "The offset after the topic's last record, when last looked at",
    )
    val end: Long = 0,
)

/** One rebuild, as every replica sees it in the database. */
data class RebuildRun(
    val id: UUID,
    val state: RebuildState,
    val requestedAt: Instant,
    val lastProgressAt: Instant,
    val finishedAt: Instant?,
    val recordsRead: Long,
    val topics: List<TopicProgress>,
    val rowsBefore: Long?,
    val rowsAfter: Long?,
    val failure: String?,
)

/**
 * The rebuilds, in the database so that any replica can report on the one another replica runs, and
 * so that only one runs at a time, across replicas.
 */
@ApplicationScoped
class RebuildRuns(private val pool: Pool, private val json: ObjectMapper, config: CallViewConfig) {

    private val abandonedAfterSeconds = config.rebuild().abandonedAfter().toSeconds().toDouble()

    /** Records a new rebuild as running; 409 when another one is running (and alive). */
    suspend fun claim(): RebuildRun = pool.inTransaction { connection ->
        connection.run("select pg_advisory_xact_lock($1)", CLAIM_LOCK)
        val running =
            connection
                .run(
                    "select id from rebuild_run where state = 'RUNNING' and $ALIVE",
                    abandonedAfterSeconds,
                )
                .firstOrNull()
                ?.getUUID("id")
        if (running != null) {
            throw Problem.of(
                    CommonProblemType.CONFLICT,
                    "Rebuild $running is running; see GET /admin/rebuild",
                )
                .with("rebuildId", running)
                .toException()
        }
        connection.run(
            "update rebuild_run set state = 'ABANDONED', finished_at = now() where state = 'RUNNING'"
        )
        connection
            .run(
                "insert into rebuild_run (id, state, requested_at, heartbeat_at) values ($1, 'RUNNING', now(), now()) returning $COLUMNS",
                UUID.randomUUID(),
            )
            .first()
            .let(::toRun)
    }

    /** The latest rebuild, or null when none ever ran. */
    suspend fun latest(): RebuildRun? =
        pool
            .run(
                "select $COLUMNS, $ALIVE as alive from rebuild_run order by requested_at desc limit 1",
                abandonedAfterSeconds,
            )
            .firstOrNull()
            ?.let(::toRun)

    /** Records how far the run has read; also its sign of life. */
    suspend fun progress(id: UUID, recordsRead: Long, topics: List<TopicProgress>) {
        pool.run(
            "update rebuild_run set heartbeat_at = now(), records_read = $2, topics = $3 where id = $1 and state = 'RUNNING'",
            id,
            recordsRead,
            json.writeValueAsString(topics),
        )
    }

    suspend fun completed(
        id: UUID,
        recordsRead: Long,
        topics: List<TopicProgress>,
        rowsBefore: Long,
        rowsAfter: Long,
    ) {
        pool.run(
            """
            update rebuild_run set state = 'COMPLETED', heartbeat_at = now(), finished_at = now(), records_read = $2,
                topics = $3, rows_before = $4, rows_after = $5
            where id = $1
            """,
            id,
            recordsRead,
            json.writeValueAsString(topics),
            rowsBefore,
            rowsAfter,
        )
    }

    suspend fun failed(id: UUID, failure: String) {
        pool.run(
            "update rebuild_run set state = 'FAILED', heartbeat_at = now(), finished_at = now(), failure = $2 where id = $1",
            id,
            failure,
        )
    }

    private fun toRun(row: Row): RebuildRun {
        val state = RebuildState.valueOf(row.getString("state"))
        // a run whose replica stopped stays RUNNING in the table until the next claim
        val alive = row.getColumnIndex("alive") < 0 || row.getBoolean("alive")
        return RebuildRun(
            id = row.getUUID("id"),
            state = if (state == RebuildState.RUNNING && !alive) RebuildState.ABANDONED else state,
            requestedAt = row.instant("requested_at")!!,
            lastProgressAt = row.instant("heartbeat_at")!!,
            finishedAt = row.instant("finished_at"),
            recordsRead = row.getLong("records_read"),
            topics = json.readValue(row.getString("topics"), TOPICS),
            rowsBefore = row.getLong("rows_before"),
            rowsAfter = row.getLong("rows_after"),
            failure = row.getString("failure"),
        )
    }

    companion object {
        /** Taken while a rebuild is claimed, so that two requests at once do not both start one. */
        private const val CLAIM_LOCK = 0x0CA11_1E4L
        private const val ALIVE = "heartbeat_at >= now() - make_interval(secs => $1)"

        /** Every column toRun reads, named rather than `*`: see CallViewStore.COLUMNS. */
        private const val COLUMNS =
            "id, state, requested_at, heartbeat_at, finished_at, records_read, topics, rows_before, rows_after, failure"
        private val TOPICS = object : TypeReference<List<TopicProgress>>() {}
    }
}
