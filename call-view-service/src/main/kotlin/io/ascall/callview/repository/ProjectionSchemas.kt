package io.ascall.callview.repository

import io.vertx.mutiny.sqlclient.Pool
import io.vertx.mutiny.sqlclient.SqlConnection
import jakarta.enterprise.context.ApplicationScoped

/** Creates and drops projections beside the live one, each in a schema of its own. */
@ApplicationScoped
class ProjectionSchemas(private val pool: Pool) {

    /**
     * Empty tables like the live ones (columns, defaults, keys, indexes with the same names), in
     * the schema of [tables]; whatever was there before is dropped.
     */
    suspend fun create(tables: ProjectionTables): Unit = pool.inTransaction { connection ->
        require(!tables.live) { "the live projection is Flyway's" }
        quiet(connection)
        connection.run("drop schema if exists ${tables.schema} cascade")
        connection.run("create schema ${tables.schema}")
        for (table in ProjectionTables.NAMES) {
            connection.run(
                "create table ${tables.schema}.$table (like public.$table including all)"
            )
        }
    }

    suspend fun drop(tables: ProjectionTables): Unit = pool.inTransaction { connection ->
        require(!tables.live) { "the live projection is Flyway's" }
        quiet(connection)
        connection.run("drop schema if exists ${tables.schema} cascade")
    }

    companion object {
        /**
         * Without PostgreSQL's notices ("schema ... does not exist, skipping"), which the client
         * logs as warnings.
         */
        suspend fun quiet(connection: SqlConnection) {
            connection.run("select set_config('client_min_messages', 'warning', true)")
        }
    }
}
