package io.ascall.callview.messaging

import io.ascall.callview.Source
import io.ascall.callview.config.CallViewConfig
import io.ascall.callview.repository.ProjectionTables
import io.ascall.events.UnreadableEvent
import io.quarkus.runtime.ShutdownEvent
import jakarta.enterprise.context.ApplicationScoped
import jakarta.enterprise.event.Observes
import kotlin.coroutines.suspendCoroutine
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.delay
import org.jboss.logging.Logger

/**
 * What the view does with a record of one of its topics: read it, apply it through the [Inbox], and
 * decide what a failure means.
 * - A record that is not a readable event fails at once: the channel's dead-letter strategy sends
 *   it to `call-view-service.dlq` with the reason, and the channel goes on.
 * - An event of a type the view does not know, or with fields that break the contract, still takes
 *   its place in its source's order (so that the call's later events are not parked forever), then
 *   goes to the dead-letter topic too.
 * - Any other failure (the database is down, say) is retried, with growing pauses, until it
 *   succeeds: the event must not be lost, and the call's later events must not overtake it.
 * - Once the service stops, a record not yet applied is left for the next consumer of its
 *   partition: neither acked nor nacked, so its offset is never committed ([leaveForNextConsumer]).
 */
@ApplicationScoped
class EventReceiver(
    private val reader: EventReader,
    private val inbox: Inbox,
    config: CallViewConfig,
) {

    private val retry = config.inbox()

    /**
     * Set at the start of a stop, before the database pool and the Kafka consumers close. From then
     * on no record is applied, retried or failed: a failure now would be the stop's own (the pool
     * closing under a transaction, the coroutine cancelled), not the event's, and failing the
     * record would dead-letter it and let its offset, and those of the records after it, be
     * committed.
     */
    @Volatile private var stopping = false

    fun stop(@Observes shutdown: ShutdownEvent) {
        stopping = true
        LOG.info("Stopping: events not applied yet are left on their topics for the next consumer")
    }

    /** A record of the live consumer. */
    suspend fun receive(topic: Source, payload: String?) {
        if (stopping) leaveForNextConsumer("a record of ${topic.topic}")
        val received =
            try {
                reader.read(topic, payload)
            } catch (unreadable: UnreadableEvent) {
                LOG.warnf(
                    "Dead-lettering an unreadable record of %s: %s",
                    topic.topic,
                    unreadable.message,
                )
                throw unreadable
            }
        try {
            applyRetrying(received)
        } catch (cancelled: CancellationException) {
            // the application's coroutine scope is cancelled when the stop closes it: a failure, to
            // SmallRye
            if (stopping) leaveForNextConsumer(received)
            throw cancelled
        }
        received.problem?.let {
            LOG.warnf("Dead-lettering %s: %s", received, it)
            throw UnreadableEvent(it)
        }
    }

    private suspend fun applyRetrying(received: ReceivedEvent) {
        var pause = retry.retryInitialBackoff().toMillis()
        while (!stopping) {
            try {
                inbox.receive(ProjectionTables.LIVE, received)
                return
            } catch (cancelled: CancellationException) {
                throw cancelled
            } catch (failure: Throwable) {
                // Throwable, not Exception: the reactive client fails with Vert.x's
                // NoStackTraceThrowable
                // ("Pool closed", "Connection is closed"), which must be retried like any other
                // outage.
                // During a stop, the failure is most likely the stop itself closing the pool.
                if (stopping) break
                LOG.warnf(
                    "Applying %s failed, retrying in %d ms: %s",
                    received,
                    pause,
                    failure.toString(),
                )
                delay(pause)
                pause = minOf(pause * 2, retry.retryMaxBackoff().toMillis())
            }
        }
        leaveForNextConsumer(received)
    }

    /**
     * Never returns, and never fails: SmallRye acks a record whose method returns and nacks one
     * whose method fails (to the dead-letter topic). A record that is neither holds its partition's
     * committed offset before it: the graceful shutdown of the Kafka connector waits a moment for
     * it, commits what was acked before it, and closes, so the next consumer of the partition (this
     * replica restarted, or another one) reads it again; the inbox skips whatever it had applied.
     * It suspends, holding no thread, and ignores cancellation ([suspendCoroutine] is not
     * cancellable): a cancelled coroutine would fail, and so nack, the record.
     */
    private suspend fun leaveForNextConsumer(what: Any): Nothing {
        LOG.infof("Stopping: %s is left for the next consumer of its partition", what)
        suspendCoroutine<Nothing> {}
    }

    /**
     * A record read again from the topics into a projection beside the live one. What the live
     * consumer dead-lettered is skipped here, and a failure fails the caller (a rebuild starts
     * over).
     *
     * @return whether the record was an event with a place in its source's order
     */
    suspend fun replay(tables: ProjectionTables, topic: Source, payload: String?): Boolean {
        val received =
            try {
                reader.read(topic, payload)
            } catch (unreadable: UnreadableEvent) {
                return false
            }
        inbox.receive(tables, received)
        return true
    }

    companion object {
        private val LOG: Logger = Logger.getLogger(EventReceiver::class.java)
    }
}
