package io.ascall.callview.rest

import io.ascall.callview.config.suspending
import io.ascall.callview.rebuild.ProjectionRebuild
import io.ascall.callview.rebuild.RebuildRun
import io.ascall.callview.rebuild.RebuildRuns
import io.ascall.callview.rebuild.RebuildState
import io.ascall.callview.rebuild.TopicProgress
import io.ascall.problem.CommonProblemType
import io.ascall.problem.Problem
import io.quarkus.runtime.annotations.RegisterForReflection
import io.smallrye.mutiny.Uni
import jakarta.ws.rs.GET
import jakarta.ws.rs.POST
import jakarta.ws.rs.Path
import jakarta.ws.rs.Produces
import jakarta.ws.rs.core.MediaType
import jakarta.ws.rs.core.Response
import java.net.URI
import java.time.Instant
import java.util.UUID

/**
 * Operators' API (not routed by the mesh's public gateway): rebuild the projection from the topics,
 * and follow the rebuild. Any replica answers; the rebuild runs on the one that took it.
 */
@Path("/admin/rebuild")
@Produces(MediaType.APPLICATION_JSON)
class RebuildResource(private val rebuild: ProjectionRebuild, private val runs: RebuildRuns) {

    /** Starts a rebuild: 202 with it; 409 `conflict` while another one runs. */
    @POST
    fun start(): Uni<Response> = suspending {
        Response.accepted(RebuildResponse.of(rebuild.start())).location(URI.create(PATH)).build()
    }

    /** The latest rebuild and how far it has come; 404 when none has run. */
    @GET
    fun latest(): Uni<RebuildResponse> = suspending {
        runs.latest()?.let(RebuildResponse::of)
            ?: throw Problem.of(
                    CommonProblemType.NOT_FOUND,
                    "No rebuild has run yet; start one with POST $PATH",
                )
                .toException()
    }

    companion object {
        const val PATH = "/admin/rebuild"
    }
}

/** A rebuild as the operators' API shows it. */
@RegisterForReflection
data class RebuildResponse(
    val id: UUID,
    val state: RebuildState,
    val requestedAt: Instant,
    val lastProgressAt: Instant,
    val finishedAt: Instant?,
    val recordsRead: Long,
    val topics: List<TopicProgress>,
    val callsBefore: Long?,
    val callsAfter: Long?,
    val failure: String?,
) {
    companion object {
        fun of(run: RebuildRun) =
            RebuildResponse(
                run.id,
                run.state,
                run.requestedAt,
                run.lastProgressAt,
                run.finishedAt,
                run.recordsRead,
                run.topics,
                run.rowsBefore,
                run.rowsAfter,
                run.failure,
            )
    }
}
