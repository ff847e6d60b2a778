package io.ascall.callview.messaging

import io.ascall.callview.config.CallViewConfig
import io.quarkus.scheduler.Scheduled
import jakarta.enterprise.context.ApplicationScoped
import kotlinx.coroutines.CancellationException
import org.jboss.logging.Logger

/**
 * Deletes the ids of received events past their retention, so that the inbox does not grow forever.
 */
@ApplicationScoped
class InboxHousekeeping(private val inbox: Inbox, private val config: CallViewConfig) {

    @Scheduled(
        every = "1h",
        delayed = "1m",
        concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
    )
    suspend fun forgetOldEventIds() {
        try {
            val deleted = inbox.forgetReceivedBefore(config.inbox().retention().toSeconds())
            LOG.debugf("Forgot %d received event ids", deleted)
        } catch (cancelled: CancellationException) {
            throw cancelled
        } catch (failure: Exception) {
            LOG.warnf("Inbox housekeeping failed, the next round retries: %s", failure.toString())
        }
    }

    companion object {
        private val LOG: Logger = Logger.getLogger(InboxHousekeeping::class.java)
    }
}
