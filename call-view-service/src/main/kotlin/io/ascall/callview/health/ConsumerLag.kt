package io.ascall.callview.health

import io.ascall.callview.Source
import io.ascall.callview.repository.run
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import io.quarkus.runtime.ShutdownEvent
import io.quarkus.runtime.StartupEvent
import io.quarkus.scheduler.Scheduled
import io.vertx.mutiny.sqlclient.Pool
import jakarta.enterprise.context.ApplicationScoped
import jakarta.enterprise.event.Observes
import java.time.Clock
import java.time.Instant
import java.util.concurrent.ExecutionException
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.future.await
import org.apache.kafka.clients.admin.Admin
import org.apache.kafka.clients.admin.AdminClientConfig
import org.apache.kafka.clients.admin.OffsetSpec
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException
import org.eclipse.microprofile.config.Config
import org.jboss.logging.Logger

/**
 * How far the view is behind the topics, measured every `callview.lag.refresh`: per topic, the
 * records not yet committed by the consumer group (all replicas together), from the group's
 * committed offsets and the topics' end offsets (Kafka's admin API, asynchronous). The consumers
 * commit every few seconds after processing, so a lag of a few records is normal; a lag that grows
 * is not. Published as the gauge `callview.consumer.lag{topic}` and in the readiness data, with the
 * number of events parked for want of an earlier one: readiness never fails on them (a replica
 * behind the topics still serves what it has; taking it out would not help it catch up).
 */
@ApplicationScoped
class ConsumerLag(
    private val registry: MeterRegistry,
    private val pool: Pool,
    private val config: Config,
    private val clock: Clock,
) {

    @Volatile private var latest: Measurement? = null

    private var admin: Admin? = null

    /**
     * @property lag records behind, per topic
     * @property parkedEvents events waiting for an earlier one of their source
     * @property problem why this measurement could not be made (the previous values are kept)
     */
    data class Measurement(
        val at: Instant,
        val lag: Map<String, Long>,
        val parkedEvents: Long?,
        val problem: String?,
    )

    /** The last measurement, or null before the first one. */
    fun latest(): Measurement? = latest

    fun start(@Observes started: StartupEvent) {
        admin =
            Admin.create(
                mapOf(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG to
                        config.getValue("kafka.bootstrap.servers", String::class.java),
                    AdminClientConfig.CLIENT_ID_CONFIG to "call-view-service-lag",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG to 5000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG to 10000,
                )
            )
        for (source in Source.entries) {
            Gauge.builder("callview.consumer.lag", this) {
                    it.latest?.lag?.get(source.topic)?.toDouble() ?: Double.NaN
                }
                .tag("topic", source.topic)
                .description("Records of the topic the view's consumer group has not processed yet")
                .register(registry)
        }
    }

    fun stop(@Observes stopping: ShutdownEvent) {
        admin?.close(java.time.Duration.ofSeconds(2))
    }

    @Scheduled(
        every = "\${callview.lag.refresh}",
        concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
    )
    suspend fun measure() {
        val client = admin ?: return
        latest =
            try {
                val lag = Source.entries.associate { it.topic to lagOf(client, it) }
                Measurement(clock.instant(), lag, parkedEvents(), null)
            } catch (cancelled: CancellationException) {
                throw cancelled
            } catch (failure: Exception) {
                LOG.debugf("Cannot measure the consumer lag: %s", failure.toString())
                Measurement(
                    clock.instant(),
                    latest?.lag.orEmpty(),
                    latest?.parkedEvents,
                    "not measured: $failure",
                )
            }
    }

    private suspend fun lagOf(client: Admin, source: Source): Long {
        val topic =
            config.getValue("mp.messaging.incoming.${source.topic}.topic", String::class.java)
        val group =
            config.getValue("mp.messaging.incoming.${source.topic}.group.id", String::class.java)
        val partitions =
            try {
                client
                    .describeTopics(listOf(topic))
                    .allTopicNames()
                    .toCompletionStage()
                    .await()
                    .getValue(topic)
                    .partitions()
                    .map { TopicPartition(topic, it.partition()) }
            } catch (e: ExecutionException) {
                if (e.cause is UnknownTopicOrPartitionException) return 0 else throw e
            } catch (e: UnknownTopicOrPartitionException) {
                return 0
            }
        val ends =
            client
                .listOffsets(partitions.associateWith { OffsetSpec.latest() })
                .all()
                .toCompletionStage()
                .await()
        val starts =
            client
                .listOffsets(partitions.associateWith { OffsetSpec.earliest() })
                .all()
                .toCompletionStage()
                .await()
        val committed =
            client
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .toCompletionStage()
                .await()
        return partitions.sumOf { partition ->
            val next = committed[partition]?.offset() ?: starts.getValue(partition).offset()
            maxOf(0, ends.getValue(partition).offset() - next)
        }
    }

    private suspend fun parkedEvents(): Long =
        pool.run("select count(*) from public.deferred_event").first().getLong(0)

    companion object {
        private val LOG: Logger = Logger.getLogger(ConsumerLag::class.java)
    }
}
