package io.ascall.callview.messaging

import io.ascall.callview.repository.CallViewStore
import io.ascall.callview.repository.ProjectionTables
import io.ascall.callview.repository.inTransaction
import io.ascall.callview.repository.run
import io.vertx.mutiny.sqlclient.Pool
import io.vertx.mutiny.sqlclient.SqlConnection
import jakarta.enterprise.context.ApplicationScoped
import org.jboss.logging.Logger

/**
 * Applies received events to a projection exactly once and, per call, in the order their source
 * published them, each in one transaction with its effect (the Kotlin counterpart of the Java
 * services' inbox, with the same tables):
 * - an event id seen before (a redelivery, or a relay publishing twice) is skipped;
 * - an event that arrives before an earlier one of its source for the same call (its `sequence`
 *   leaves a gap) is parked, not dropped, and applied as soon as the gap is filled.
 *
 * The sources are independent of each other: an event of payment-service never waits for
 * call-service's CallRequested. The view stays right whatever their order
 * ([io.ascall.callview.CallView]).
 */
@ApplicationScoped
class Inbox(
    private val pool: Pool,
    private val views: CallViewStore,
    private val reader: EventReader,
) {

    suspend fun receive(tables: ProjectionTables, received: ReceivedEvent) =
        pool.inTransaction { connection ->
            if (tables.live) {
                // a rebuild swaps the tables under an exclusive lock on this number: wait for it
                connection.run("select pg_advisory_xact_lock_shared($1)", SWAP_LOCK)
            }
            val envelope = received.envelope
            if (!firstSight(connection, tables, received)) {
                LOG.debugf("Skipping %s: already received", received)
                return@inTransaction
            }
            val last = lastApplied(connection, tables, received)
            when {
                envelope.sequence <= last ->
                    LOG.warnf(
                        "Skipping %s: its source's events for this call are applied up to #%d",
                        received,
                        last,
                    )
                envelope.sequence > last + 1 -> {
                    LOG.infof("Parking %s until #%d arrives", received, last + 1)
                    park(connection, tables, received)
                }
                else -> applyInOrder(connection, tables, received)
            }
        }

    /** Forgets the ids of events received longer ago than the retention; returns how many. */
    suspend fun forgetReceivedBefore(retentionSeconds: Long): Int =
        pool
            .run(
                "delete from public.processed_event where received_at < now() - make_interval(secs => $1)",
                retentionSeconds.toDouble(),
            )
            .rowCount()

    private suspend fun firstSight(
        connection: SqlConnection,
        tables: ProjectionTables,
        received: ReceivedEvent,
    ): Boolean {
        val envelope = received.envelope
        return connection
            .run(
                """
            insert into ${tables.processedEvent} (event_id, source, type, call_id, received_at)
            values ($1, $2, $3, $4, now()) on conflict (event_id) do nothing
            """,
                envelope.eventId,
                envelope.source.service,
                envelope.type,
                envelope.callId,
            )
            .rowCount() == 1
    }

    /**
     * The last applied sequence of the event's source for its call, locked for this transaction.
     */
    private suspend fun lastApplied(
        connection: SqlConnection,
        tables: ProjectionTables,
        received: ReceivedEvent,
    ): Long =
        connection
            .run(
                """
            insert into ${tables.eventStream} (source, call_id, last_sequence) values ($1, $2, 0)
            on conflict (source, call_id) do update set last_sequence = ${tables.eventStream}.last_sequence
            returning last_sequence
            """,
                received.envelope.source.service,
                received.envelope.callId,
            )
            .first()
            .getLong(0)

    private suspend fun park(
        connection: SqlConnection,
        tables: ProjectionTables,
        received: ReceivedEvent,
    ) {
        connection.run(
            """
            insert into ${tables.deferredEvent} (source, call_id, sequence, payload, received_at)
            values ($1, $2, $3, $4, now()) on conflict do nothing
            """,
            received.envelope.source.service,
            received.envelope.callId,
            received.envelope.sequence,
            received.json,
        )
    }

    /** Applies the event, then every parked one of its source that now follows without a gap. */
    private suspend fun applyInOrder(
        connection: SqlConnection,
        tables: ProjectionTables,
        first: ReceivedEvent,
    ) {
        var next: ReceivedEvent? = first
        while (next != null) {
            val received: ReceivedEvent = next
            val envelope = received.envelope
            val event = received.event
            if (event != null) {
                views.save(
                    connection,
                    tables,
                    views.lock(connection, tables, envelope.callId).after(envelope, event),
                )
                if (tables.live) {
                    // delivered to every replica's streams when (and only if) the transaction
                    // commits
                    connection.run(
                        "select pg_notify($1, $2)",
                        CHANGES_CHANNEL,
                        envelope.callId.toString(),
                    )
                }
            } else {
                LOG.infof(
                    "%s takes its place in its source's order and changes nothing: %s",
                    received,
                    received.problem,
                )
            }
            connection.run(
                "update ${tables.eventStream} set last_sequence = $1 where source = $2 and call_id = $3",
                envelope.sequence,
                envelope.source.service,
                envelope.callId,
            )
            next =
                connection
                    .run(
                        "delete from ${tables.deferredEvent} where source = $1 and call_id = $2 and sequence = $3 returning payload",
                        envelope.source.service,
                        envelope.callId,
                        envelope.sequence + 1,
                    )
                    .firstOrNull()
                    ?.let { reader.reread(it.getString("payload")) }
        }
    }

    companion object {
        private val LOG: Logger = Logger.getLogger(Inbox::class.java)

        /**
         * The advisory lock (any number unique in this database) a rebuild holds while it swaps the
         * tables in.
         */
        const val SWAP_LOCK = 0x0CA11_1E3L

        /**
         * The PostgreSQL channel on which every change of a live view is announced, with the call
         * id.
         */
        const val CHANGES_CHANNEL = "call_view_changed"
    }
}
