package io.ascall.callview.rebuild

import io.ascall.callview.Source
import io.ascall.callview.config.CallViewConfig
import io.ascall.callview.messaging.EventReceiver
import io.ascall.callview.messaging.Inbox
import io.ascall.callview.repository.ProjectionSchemas
import io.ascall.callview.repository.ProjectionTables
import io.ascall.callview.repository.inTransaction
import io.ascall.callview.repository.run
import io.quarkus.runtime.ShutdownEvent
import io.vertx.mutiny.sqlclient.Pool
import io.vertx.mutiny.sqlclient.SqlConnection
import jakarta.enterprise.context.ApplicationScoped
import jakarta.enterprise.event.Observes
import java.time.Duration
import java.util.UUID
import java.util.concurrent.Executors
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.serialization.StringDeserializer
import org.eclipse.microprofile.config.inject.ConfigProperty
import org.jboss.logging.Logger

/**
 * Builds the projection again from the three topics, from their beginning, beside the live one
 * (schema `callview_rebuild`), and swaps it in once it has caught up:
 * 1. the rebuild tables are created like the live ones, empty;
 * 2. every partition of the three topics is read from its first record, through the same inbox and
 *    projection code as the live consumer (duplicates skipped, early events parked, records that
 *    cannot be read skipped), until the reader has reached the end of every partition;
 * 3. the swap takes the lock every live transaction shares ([Inbox.SWAP_LOCK]): the live projection
 *    pauses once its current event is applied; the reader reads what reached the topics meanwhile,
 *    so the rebuilt tables hold every event the live ones hold (and perhaps a few more, which the
 *    live consumer then skips as already received); then, in the same transaction, the live tables
 *    move to schema `callview_retired` (kept until the next rebuild, to compare or to move back by
 *    hand) and the rebuilt ones take their place, and every stream re-reads its view.
 *
 * The reader is a plain Kafka consumer that is assigned every partition, with no consumer group: it
 * commits nothing (a rebuild that stops starts over from the beginning), and leaves no group
 * behind. It runs on a thread of its own, since Kafka's consumer blocks while it polls.
 */
@ApplicationScoped
class ProjectionRebuild(
    private val pool: Pool,
    private val receiver: EventReceiver,
    private val runs: RebuildRuns,
    private val schemas: ProjectionSchemas,
    private val config: CallViewConfig,
    @param:ConfigProperty(name = "kafka.bootstrap.servers") private val bootstrapServers: String,
) {
    private val thread = Executors.newSingleThreadExecutor {
        Thread(it, "call-view-rebuild").apply { isDaemon = true }
    }
    private val scope = CoroutineScope(SupervisorJob() + thread.asCoroutineDispatcher())

    /** Starts a rebuild in the background; 409 when one is running already, on any replica. */
    suspend fun start(): RebuildRun {
        val run = runs.claim()
        scope.launch { execute(run.id) }
        return run
    }

    fun stop(@Observes stopping: ShutdownEvent) {
        // a run stopped here is seen as abandoned by the others once its progress is old
        scope.cancel()
        thread.shutdownNow()
    }

    private suspend fun execute(id: UUID) {
        LOG.infof(
            "Rebuild %s: reading %s from their beginning",
            id,
            Source.entries.map { it.topic },
        )
        try {
            // what a stopped rebuild left is dropped
            schemas.create(REBUILT)
            consumer().use { consumer ->
                val reader = Reader(id, consumer)
                reader.untilCaughtUp(following = true)
                val (before, after) = swap(reader)
                runs.completed(id, reader.recordsRead, reader.progress(), before, after)
                LOG.infof(
                    "Rebuild %s swapped in after %d records: %d calls before, %d now",
                    id,
                    reader.recordsRead,
                    before,
                    after,
                )
            }
        } catch (cancelled: CancellationException) {
            throw cancelled
        } catch (failure: Exception) {
            LOG.errorf(failure, "Rebuild %s failed; the live projection is untouched", id)
            runCatching { runs.failed(id, failure.toString()) }
        }
    }

    /** Swaps the rebuilt tables in, once they hold every event the live ones hold. */
    private suspend fun swap(reader: Reader): Pair<Long, Long> = pool.inTransaction { connection ->
        connection.run(
            "select set_config('lock_timeout', $1, true)",
            "${config.rebuild().swapLockTimeout().toMillis()}ms",
        )
        connection.run("select pg_advisory_xact_lock($1)", Inbox.SWAP_LOCK)
        // the live projection waits from here on: read what it may have applied meanwhile
        reader.untilCaughtUp(following = false)
        ProjectionSchemas.quiet(connection)
        connection.run("drop schema if exists $RETIRED cascade")
        connection.run("create schema $RETIRED")
        for (table in ProjectionTables.NAMES) {
            connection.run("alter table public.$table set schema $RETIRED")
            connection.run("alter table ${REBUILT.schema}.$table set schema public")
        }
        connection.run("drop schema ${REBUILT.schema}")
        // a payload that is not a call id: every stream re-reads its view
        connection.run("select pg_notify($1, $2)", Inbox.CHANGES_CHANNEL, "rebuilt")
        count(connection, "$RETIRED.call_view") to count(connection, "public.call_view")
    }

    private suspend fun count(connection: SqlConnection, table: String): Long =
        connection.run("select count(*) from $table").first().getLong(0)

    private fun consumer() =
        KafkaConsumer<String, String>(
            mapOf(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG to bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG to "call-view-service-rebuild",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG to false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG to "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG to StringDeserializer::class.java.name,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG to
                    StringDeserializer::class.java.name,
            )
        )

    /** Reads every partition of the three topics from the beginning into the rebuilt tables. */
    private inner class Reader(
        private val id: UUID,
        private val consumer: KafkaConsumer<String, String>,
    ) {

        private val partitions: List<TopicPartition> =
            Source.entries.flatMap { source ->
                consumer.partitionsFor(source.topic, KAFKA_TIMEOUT).orEmpty().map {
                    TopicPartition(it.topic(), it.partition())
                }
            }
        private var ends: Map<TopicPartition, Long> = emptyMap()
        private var lastReport = System.nanoTime()
        var recordsRead = 0L
            private set

        init {
            consumer.assign(partitions)
            consumer.seekToBeginning(partitions)
        }

        /**
         * Reads until every partition's position has reached its end. While [following], the end
         * moves on with what producers add meanwhile; otherwise it is the end at the call.
         */
        suspend fun untilCaughtUp(following: Boolean) {
            ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT)
            while (partitions.any { consumer.position(it, KAFKA_TIMEOUT) < ends.getValue(it) }) {
                for (record in consumer.poll(POLL)) {
                    receiver.replay(REBUILT, Source.ofTopic(record.topic()), record.value())
                    recordsRead++
                }
                if (System.nanoTime() - lastReport > config.rebuild().progressEvery().toNanos()) {
                    if (following) {
                        ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT)
                    }
                    runs.progress(id, recordsRead, progress())
                    lastReport = System.nanoTime()
                }
            }
        }

        fun progress(): List<TopicProgress> =
            Source.entries.map { source ->
                val ofTopic = partitions.filter { it.topic() == source.topic }
                TopicProgress(
                    topic = source.topic,
                    position = ofTopic.sumOf { consumer.position(it, KAFKA_TIMEOUT) },
                    end = ofTopic.sumOf { ends.getValue(it) },
                )
            }
    }

    companion object {
        private val LOG: Logger = Logger.getLogger(ProjectionRebuild::class.java)
        private val REBUILT = ProjectionTables.beside("callview_rebuild")
        private const val RETIRED = "callview_retired"
        private val POLL: Duration = Duration.ofMillis(200)
        private val KAFKA_TIMEOUT: Duration = Duration.ofSeconds(30)
    }
}
