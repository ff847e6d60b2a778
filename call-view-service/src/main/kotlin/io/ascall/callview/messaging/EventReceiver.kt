package io.ascall.callview.messaging

import io.ascall.callview.Source
import io.ascall.callview.config.CallViewConfig
import io.ascall.callview.repository.ProjectionTables
import jakarta.enterprise.context.ApplicationScoped
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.delay
import org.jboss.logging.Logger

/**
 * What the view does with a record of one of its topics: read it, apply it through the [Inbox],
 * and decide what a failure means.
 * - A record that is not a readable event fails at once: the channel's dead-letter strategy sends
 *   it to `call-view-service.dlq` with the reason, and the channel goes on.
 * - An event of a type the view does not know, or with fields that break the contract, still
 *   takes its place in its source's order (so that the call's later events are not parked
 *   forever), then goes to the dead-letter topic too.
 * - Any other failure (the database is down, say) is retried, with growing pauses, until it
 *   succeeds: the event must not be lost, and the call's later events must not overtake it.
 */
@ApplicationScoped
class EventReceiver(private val reader: EventReader, private val inbox: Inbox, config: CallViewConfig) {

    private val retry = config.inbox()

    /** A record of the live consumer. */
    suspend fun receive(topic: Source, payload: String?) {
        val received = try {
            reader.read(topic, payload)
        } catch (unreadable: UnreadableEvent) {
            LOG.warnf("Dead-lettering an unreadable record of %s: %s", topic.topic, unreadable.message)
            throw unreadable
        }
        var pause = retry.retryInitialBackoff().toMillis()
        while (true) {
            try {
                inbox.receive(ProjectionTables.LIVE, received)
                break
            } catch (cancelled: CancellationException) {
                throw cancelled
            } catch (failure: Exception) {
                LOG.warnf("Applying %s failed, retrying in %d ms: %s", received, pause, failure.toString())
                delay(pause)
                pause = minOf(pause * 2, retry.retryMaxBackoff().toMillis())
            }
        }
        received.problem?.let {
            LOG.warnf("Dead-lettering %s: %s", received, it)
            throw UnreadableEvent(it)
        }
    }

    /**
     * A record read again from the topics into a projection beside the live one. What the live
     * consumer dead-lettered is skipped here, and a failure fails the caller (a rebuild starts over).
     *
     * @return whether the record was an event with a place in its source's order
     */
    suspend fun replay(tables: ProjectionTables, topic: Source, payload: String?): Boolean {
        val received = try {
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
