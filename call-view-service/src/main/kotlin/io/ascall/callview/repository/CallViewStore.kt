package io.ascall.callview.repository

import io.ascall.callview.CallFacts
import io.ascall.callview.CallStatus
import io.ascall.callview.CallStep
import io.ascall.callview.CallView
import io.ascall.callview.EngineerFacts
import io.ascall.callview.OfferStep
import io.ascall.callview.PaymentFacts
import io.ascall.callview.PaymentStatus
import io.vertx.mutiny.sqlclient.Pool
import io.vertx.mutiny.sqlclient.Row
import io.vertx.mutiny.sqlclient.SqlConnection
import jakarta.enterprise.context.ApplicationScoped
import java.util.UUID

/** Filters of the list of calls; null matches everything. */
data class CallViewFilter(
    val customerId: String? = null,
    val status: CallStatus? = null,
    val engineerId: UUID? = null,
)

/** The call_view table: a call's facts and what they imply, one row per call. */
@ApplicationScoped
class CallViewStore(private val pool: Pool) {

    /**
     * The call's view, locked until the transaction ends; created empty when this is the first
     * event of the call the view sees (from any source: CallRequested need not come first).
     */
    suspend fun lock(connection: SqlConnection, tables: ProjectionTables, callId: UUID): CallView {
        connection.run(
            "insert into ${tables.callView} (call_id) values ($1) on conflict (call_id) do nothing",
            callId,
        )
        return connection
            .run("select $COLUMNS from ${tables.callView} where call_id = $1 for update", callId)
            .first()
            .let(::toView)
    }

    /** Writes the view locked by [lock], with the status its facts imply. */
    suspend fun save(connection: SqlConnection, tables: ProjectionTables, view: CallView) {
        val call = view.call
        val payment = view.payment
        val engineer = view.engineer
        connection.run(
            """
            update ${tables.callView} set
                customer_id = $2, appliance_type = $3, region = $4, address = $5, description = $6, fee = $7,
                currency = $8, call_step = $9, failure_reason = $10, cancellation_reason = $11,
                call_payment_id = $12, requested_at = $13, paid_at = $14, payment_failed_at = $15,
                cancelled_at = $16, payment_id = $17, payment_status = $18, refunded_at = $19, offer_step = $20,
                assignment_id = $21, engineer_id = $22, engineer_name = $23, offers_made = $24, assigned_at = $25,
                dispatched_at = $26, completed_at = $27, status = $28, last_event_at = $29, version = $30
            where call_id = $1
            """,
            view.callId,
            call.customerId,
            call.applianceType,
            call.region,
            call.address,
            call.description,
            call.fee,
            call.currency,
            call.step?.name,
            call.failureReason,
            call.cancellationReason,
            call.paymentId,
            call.requestedAt.sql(),
            call.paidAt.sql(),
            call.paymentFailedAt.sql(),
            call.cancelledAt.sql(),
            payment.paymentId,
            payment.status?.name,
            payment.refundedAt.sql(),
            engineer.step?.name,
            engineer.assignmentId,
            engineer.engineerId,
            engineer.engineerName,
            engineer.offersMade,
            engineer.assignedAt.sql(),
            engineer.dispatchedAt.sql(),
            engineer.completedAt.sql(),
            view.status?.name,
            view.lastEventAt.sql(),
            view.version,
        )
    }

    /** The live view of a call the API may show (its CallRequested applied), or null. */
    suspend fun find(callId: UUID): CallView? =
        pool
            .run(
                "select $COLUMNS from public.call_view where call_id = $1 and requested_at is not null",
                callId,
            )
            .firstOrNull()
            ?.let(::toView)

    /** One page of the calls the API may show, newest first, and how many match in all. */
    suspend fun list(filter: CallViewFilter, page: Int, size: Int): Pair<List<CallView>, Long> {
        val conditions = mutableListOf("requested_at is not null")
        val parameters = mutableListOf<Any?>()
        filter.customerId?.let {
            parameters += it
            conditions += "customer_id = $${parameters.size}"
        }
        filter.status?.let {
            parameters += it.name
            conditions += "status = $${parameters.size}"
        }
        filter.engineerId?.let {
            parameters += it
            conditions += "engineer_id = $${parameters.size}"
        }
        val where = conditions.joinToString(" and ")
        val total =
            pool
                .run(
                    "select count(*) from public.call_view where $where",
                    *parameters.toTypedArray(),
                )
                .first()
                .getLong(0)
        val items =
            pool
                .run(
                    "select $COLUMNS from public.call_view where $where order by requested_at desc, call_id " +
                        "limit $${parameters.size + 1} offset $${parameters.size + 2}",
                    *(parameters + size + page.toLong() * size).toTypedArray(),
                )
                .map(::toView)
        return items to total
    }

    private fun toView(row: Row) =
        CallView(
            callId = row.getUUID("call_id"),
            call =
                CallFacts(
                    step = row.getString("call_step")?.let(CallStep::valueOf),
                    customerId = row.getString("customer_id"),
                    applianceType = row.getString("appliance_type"),
                    region = row.getString("region"),
                    address = row.getString("address"),
                    description = row.getString("description"),
                    fee = row.getLong("fee"),
                    currency = row.getString("currency"),
                    failureReason = row.getString("failure_reason"),
                    cancellationReason = row.getString("cancellation_reason"),
                    paymentId = row.getUUID("call_payment_id"),
                    requestedAt = row.instant("requested_at"),
                    paidAt = row.instant("paid_at"),
                    paymentFailedAt = row.instant("payment_failed_at"),
                    cancelledAt = row.instant("cancelled_at"),
                ),
            payment =
                PaymentFacts(
                    paymentId = row.getUUID("payment_id"),
                    status = row.getString("payment_status")?.let(PaymentStatus::valueOf),
                    refundedAt = row.instant("refunded_at"),
                ),
            engineer =
                EngineerFacts(
                    step = row.getString("offer_step")?.let(OfferStep::valueOf),
                    assignmentId = row.getUUID("assignment_id"),
                    engineerId = row.getUUID("engineer_id"),
                    engineerName = row.getString("engineer_name"),
                    offersMade = row.getInteger("offers_made"),
                    assignedAt = row.instant("assigned_at"),
                    dispatchedAt = row.instant("dispatched_at"),
                    completedAt = row.instant("completed_at"),
                ),
            lastEventAt = row.instant("last_event_at"),
            version = row.getLong("version"),
        )

    companion object {
        /**
         * Every column toView reads, named rather than `*`: the connections keep their statements
         * prepared (quarkus.datasource.reactive.cache-prepared-statements), and PostgreSQL refuses
         * a prepared `select *` once a migration has added a column ("cached plan must not change
         * result type"), which would fail every running replica during a rolling update.
         */
        private const val COLUMNS =
            "call_id, call_step, customer_id, appliance_type, region, address, description, fee, currency, " +
                "failure_reason, cancellation_reason, call_payment_id, requested_at, paid_at, payment_failed_at, " +
                "cancelled_at, payment_id, payment_status, refunded_at, offer_step, assignment_id, engineer_id, " +
                "engineer_name, offers_made, assigned_at, dispatched_at, completed_at, last_event_at, version"
    }
}
