package io.ascall.callview.rest

import io.ascall.callview.config.suspending
import io.ascall.callview.rebuild.ProjectionRebuild
import io.ascall.callview.rebuild.RebuildRun
import io.ascall.callview.rebuild.RebuildRuns
import io.ascall.callview.rebuild.RebuildState
import io.ascall.callview.rebuild.TopicProgress
import io.ascall.problem.CommonProblemType
import io.ascall.problem.Problem
import io.ascall.security.Roles
import io.quarkus.runtime.annotations.RegisterForReflection
import io.smallrye.mutiny.Uni
import jakarta.annotation.security.RolesAllowed
import jakarta.ws.rs.GET
import jakarta.ws.rs.POST
import jakarta.ws.rs.Path
import jakarta.ws.rs.Produces
import jakarta.ws.rs.core.MediaType
import jakarta.ws.rs.core.Response
import java.net.URI
import java.time.Instant
import java.util.UUID
import org.eclipse.microprofile.openapi.annotations.Operation
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType
import org.eclipse.microprofile.openapi.annotations.headers.Header
import org.eclipse.microprofile.openapi.annotations.media.Content
import org.eclipse.microprofile.openapi.annotations.media.Schema
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse
import org.eclipse.microprofile.openapi.annotations.tags.Tag

/**
 * Operators' API (not routed by the mesh's public gateway): rebuild the projection from the topics,
 * and follow the rebuild. Any replica answers; the rebuild runs on the one that took it. Operators
 * alone call it (a token with role operator): a rebuild makes every stream re-read its view and
 * pauses the live projection for its swap.
 */
@Path("/admin/rebuild")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Rebuild",
    description =
        "Operators' API (role operator), not routed by the public gateway: rebuild the projection from the topics and follow the rebuild",
)
class RebuildResource(private val rebuild: ProjectionRebuild, private val runs: RebuildRuns) {

    /** Starts a rebuild: 202 with it; 409 `conflict` while another one runs. */
    @POST
    @Operation(
        operationId = "startRebuild",
        summary = "Start a rebuild of the projection",
        description =
            "Starts rebuilding the projection in the background, on this replica, by reading the three" +
                " topics from their beginning into tables beside the live ones, then swapping them in." +
                " Only one rebuild runs at a time, across replicas; follow it with GET /admin/rebuild." +
                " Operators only.",
    )
    @APIResponse(
        responseCode = "202",
        description = "The rebuild, RUNNING",
        headers =
            [
                Header(
                    name = "Location",
                    description = "Where to follow the rebuild: /admin/rebuild",
                    schema = Schema(type = SchemaType.STRING),
                )
            ],
        content =
            [
                Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = Schema(implementation = RebuildResponse::class),
                )
            ],
    )
    @APIResponse(
        responseCode = "409",
        description = "Another rebuild is running (`conflict`, with rebuildId)",
    )
    fun start(): Uni<Response> = suspending {
        Response.accepted(RebuildResponse.of(rebuild.start())).location(URI.create(PATH)).build()
    }

    /** The latest rebuild and how far it has come; 404 when none has run. */
    @GET
    @Operation(
        operationId = "getLatestRebuild",
        summary = "The latest rebuild",
        description =
            "The latest rebuild, running or finished, and how far it has read each topic; any replica" +
                " answers for the one that runs it. Operators only.",
    )
    @APIResponse(
        responseCode = "200",
        description = "The latest rebuild",
        content =
            [
                Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = Schema(implementation = RebuildResponse::class),
                )
            ],
    )
    @APIResponse(responseCode = "404", description = "No rebuild has run yet (`not-found`)")
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
@Schema(description = "A rebuild of the projection and how far it has come")
data class RebuildResponse(
    val id: UUID,
    @field:Schema(
        description =
            "RUNNING, then COMPLETED (swapped in), FAILED or ABANDONED (its replica stopped); the" +
                " live projection is untouched unless COMPLETED"
    )
    val state: RebuildState,
    val requestedAt: Instant,
    @field:Schema(description = "The last sign of life of the replica running it")
    val lastProgressAt: Instant,
    @field:Schema(
        description =
            "When it completed, failed or was marked abandoned; null while RUNNING, and while an" +
                " ABANDONED one has not been replaced by a new rebuild"
    )
    val finishedAt: Instant?,
    @field:Schema(description = "Records read from the topics so far") val recordsRead: Long,
    @field:Schema(description = "How far it has read each topic") val topics: List<TopicProgress>,
    @field:Schema(description = "Calls in the live projection it replaced; null unless COMPLETED")
    val callsBefore: Long?,
    @field:Schema(description = "Calls in the rebuilt projection; null unless COMPLETED")
    val callsAfter: Long?,
    @field:Schema(description = "What stopped it; null unless FAILED") val failure: String?,
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
