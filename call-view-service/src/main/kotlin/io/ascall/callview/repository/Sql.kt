package io.ascall.callview.repository

import io.smallrye.mutiny.coroutines.awaitSuspending
import io.vertx.mutiny.sqlclient.Pool
import io.vertx.mutiny.sqlclient.Row
import io.vertx.mutiny.sqlclient.SqlConnection
import io.vertx.mutiny.sqlclient.Tuple
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * Runs [block] in one transaction on one connection of the reactive pool: committed when it
 * returns, rolled back when it throws.
 */
suspend fun <T> Pool.inTransaction(block: suspend (SqlConnection) -> T): T {
    val connection = connection.awaitSuspending()
    try {
        val transaction = connection.begin().awaitSuspending()
        val result =
            try {
                block(connection)
            } catch (failure: Throwable) {
                // the connection may be gone already; closing it rolls back anyway
                withContext(NonCancellable) {
                    runCatching { transaction.rollback().awaitSuspending() }
                }
                throw failure
            }
        transaction.commit().awaitSuspending()
        return result
    } finally {
        withContext(NonCancellable) { runCatching { connection.close().awaitSuspending() } }
    }
}

/** Runs one statement with parameters. */
suspend fun SqlConnection.run(sql: String, vararg parameters: Any?) =
    preparedQuery(sql).execute(Tuple.from(parameters.toList())).awaitSuspending()

/** Runs one statement with parameters on any connection of the pool. */
suspend fun Pool.run(sql: String, vararg parameters: Any?) =
    preparedQuery(sql).execute(Tuple.from(parameters.toList())).awaitSuspending()

/** timestamptz parameters are OffsetDateTime for the PostgreSQL client. */
fun Instant?.sql(): OffsetDateTime? = this?.atOffset(ZoneOffset.UTC)

fun Row.instant(column: String): Instant? = getOffsetDateTime(column)?.toInstant()
