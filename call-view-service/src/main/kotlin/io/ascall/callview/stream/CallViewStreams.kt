package io.ascall.callview.stream

import io.ascall.callview.CallView
import io.ascall.callview.config.CallViewConfig
import io.ascall.callview.messaging.Inbox
import io.ascall.callview.repository.CallViewStore
import io.quarkus.runtime.ShutdownDelayInitiatedEvent
import io.quarkus.runtime.ShutdownEvent
import io.quarkus.runtime.StartupEvent
import io.smallrye.mutiny.Multi
import io.smallrye.mutiny.coroutines.awaitSuspending
import io.smallrye.mutiny.subscription.BackPressureFailure
import io.smallrye.mutiny.subscription.MultiEmitter
import io.vertx.core.Context
import io.vertx.mutiny.core.Vertx
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber
import io.vertx.pgclient.PgConnectOptions
import jakarta.enterprise.context.ApplicationScoped
import jakarta.enterprise.event.Observes
import java.time.Duration
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArraySet
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import org.eclipse.microprofile.config.inject.ConfigProperty
import org.jboss.logging.Logger

/** What a stream sends: a call's view, or a comment that keeps an idle connection open. */
sealed interface StreamItem {
    data class Changed(val view: CallView) : StreamItem

    data object Heartbeat : StreamItem
}

/**
 * The live streams of this replica, fed from the database: every change of a view is announced with
 * PostgreSQL NOTIFY in the transaction that makes it ([Inbox.CHANGES_CHANNEL]), whichever replica's
 * consumer applied it; each replica LISTENs and re-reads the views its clients follow. A client
 * connected to any replica therefore sees every change, and nothing is kept in memory but the list
 * of open streams.
 *
 * Each stream starts with the current view (unless the client already has it: `Last-Event-ID`),
 * then sends each newer version once; versions only grow, so a re-read that raced a newer one is
 * simply skipped. A notification lost while the LISTEN connection was down is made up for when it
 * is back: every followed view is re-read.
 */
@ApplicationScoped
class CallViewStreams(
    private val vertx: Vertx,
    private val views: CallViewStore,
    private val config: CallViewConfig,
    @param:ConfigProperty(name = "quarkus.datasource.reactive.url") private val databaseUrl: String,
    @param:ConfigProperty(name = "quarkus.datasource.username") private val user: String,
    @param:ConfigProperty(name = "quarkus.datasource.password") private val password: String,
) {
    private val followers = ConcurrentHashMap<UUID, MutableSet<Follower>>()
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private var listener: PgSubscriber? = null

    @Volatile private var draining = false

    fun start(@Observes started: StartupEvent) {
        val options = PgConnectOptions.fromUri(databaseUrl).setUser(user).setPassword(password)
        listener =
            PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy { 1000L }
                .also { subscriber ->
                    subscriber
                        .channel(Inbox.CHANGES_CHANNEL)
                        .handler(::changed)
                        // also after a reconnect: what changed while the connection was down is
                        // read again
                        .subscribeHandler { followers.keys.forEach(::refresh) }
                    subscriber
                        .connect()
                        .subscribe()
                        .with(
                            { LOG.debug("Listening for view changes") },
                            {
                                LOG.warnf(
                                    "Cannot LISTEN for view changes yet, retrying: %s",
                                    it.toString(),
                                )
                            },
                        )
                }
    }

    /**
     * A stream never ends by itself, so it would hold the graceful shutdown until its timeout: when
     * the pod starts shutting down, its streams end, and their clients reconnect (with
     * `Last-Event-ID`) to a replica that stays. A stream opened meanwhile ends at once.
     */
    fun drain(@Observes shuttingDown: ShutdownDelayInitiatedEvent) {
        draining = true
        followers.values.flatten().forEach(Follower::end)
    }

    fun stop(@Observes stopping: ShutdownEvent) {
        listener?.closeAndForget()
        scope.cancel()
    }

    /**
     * The stream of one call's views: the current one first (once the call is known), then each
     * change, with heartbeats in between. It ends when the client leaves, when the client reads so
     * slowly that more than the configured number of events wait for it, or when this replica
     * stops.
     *
     * @param lastSeen the version the client has already (its `Last-Event-ID`), 0 for none
     */
    fun follow(callId: UUID, lastSeen: Long): Multi<StreamItem> =
        Multi.createFrom()
            .emitter<StreamItem> { emitter ->
                if (draining) {
                    emitter.complete()
                    return@emitter
                }
                val follower = Follower(lastSeen, emitter, vertx.delegate.orCreateContext)
                followers.compute(callId) { _, set ->
                    (set ?: CopyOnWriteArraySet()).apply { add(follower) }
                }
                val heartbeat =
                    vertx.setPeriodic(config.stream().heartbeat().toMillis()) {
                        follower.send(StreamItem.Heartbeat)
                    }
                emitter.onTermination {
                    vertx.cancelTimer(heartbeat)
                    followers.computeIfPresent(callId) { _, set ->
                        set.apply { remove(follower) }.takeIf { it.isNotEmpty() }
                    }
                }
                refresh(callId)
            }
            .onOverflow()
            .buffer(config.stream().buffer())
            .onFailure(BackPressureFailure::class.java)
            .invoke { _ ->
                LOG.infof("Closing the stream of call %s: the client reads too slowly", callId)
            }

    /**
     * The call's view as soon as the view knows the call, waiting at most [within] for it (the same
     * notifications as a stream); null if it does not by then, or at once while this replica is
     * stopping (its streams end anyway).
     */
    suspend fun awaitKnown(callId: UUID, within: Duration): CallView? {
        views.find(callId)?.let {
            return it
        }
        val first =
            follow(callId, 0)
                .select()
                .where { it is StreamItem.Changed }
                .toUni()
                .ifNoItem()
                .after(within)
                .recoverWithItem { null }
                .awaitSuspending()
        return (first as StreamItem.Changed?)?.view
    }

    /** How many streams this replica serves. */
    fun openStreams(): Int = followers.values.sumOf { it.size }

    private fun changed(payload: String) {
        val callId =
            try {
                UUID.fromString(payload)
            } catch (e: IllegalArgumentException) {
                // a rebuild swapped the whole projection in: every followed view may have changed
                followers.keys.forEach(::refresh)
                return
            }
        if (followers.containsKey(callId)) {
            refresh(callId)
        }
    }

    /** Reads the call's view once for all of its followers on this replica. */
    private fun refresh(callId: UUID) {
        scope.launch {
            try {
                val view = views.find(callId) ?: return@launch
                followers[callId]?.forEach { it.offer(view) }
            } catch (cancelled: CancellationException) {
                throw cancelled
            } catch (failure: Exception) {
                // the next change, or the next reconnect of the listener, reads it again
                LOG.warnf(
                    "Cannot read the view of call %s for its streams: %s",
                    callId,
                    failure.toString(),
                )
            }
        }
    }

    /**
     * One client's stream. Everything it emits is decided and emitted on the request's own Vert.x
     * context (one thread): so versions go out in increasing order, each once.
     */
    private class Follower(
        lastSeen: Long,
        private val emitter: MultiEmitter<in StreamItem>,
        private val context: Context,
    ) {
        private var sent = lastSeen

        fun offer(view: CallView) = context.runOnContext {
            if (view.version > sent) {
                sent = view.version
                emitter.emit(StreamItem.Changed(view))
            }
        }

        fun send(item: StreamItem) = context.runOnContext { emitter.emit(item) }

        fun end() = context.runOnContext { emitter.complete() }
    }

    companion object {
        private val LOG: Logger = Logger.getLogger(CallViewStreams::class.java)
    }
}
