package io.ascall.callview.repository

/**
 * The tables one projection of the topics lives in: the live one (schema `public`, what the API
 * reads), or a copy being built beside it (a rebuild, or a test's scratch schema).
 *
 * @property live whether changes are announced to the streams (NOTIFY) and wait for a rebuild's
 *   swap
 */
class ProjectionTables private constructor(val schema: String, val live: Boolean) {

    val callView = "$schema.call_view"
    val processedEvent = "$schema.processed_event"
    val eventStream = "$schema.event_stream"
    val deferredEvent = "$schema.deferred_event"

    override fun toString() =
        if (live) "the live projection" else "the projection in schema $schema"

    companion object {
        /** The tables of the projection, in the order a rebuild creates and swaps them. */
        val NAMES = listOf("call_view", "processed_event", "event_stream", "deferred_event")

        val LIVE = ProjectionTables("public", live = true)

        private val IDENTIFIER = Regex("^[a-z_][a-z0-9_]{0,62}$")

        /** A projection built beside the live one, in its own schema. */
        fun beside(schema: String): ProjectionTables {
            // the name goes into SQL text: only plain lower-case identifiers
            require(IDENTIFIER.matches(schema) && schema != LIVE.schema) {
                "not a schema for a projection copy: $schema"
            }
            return ProjectionTables(schema, live = false)
        }
    }
}
