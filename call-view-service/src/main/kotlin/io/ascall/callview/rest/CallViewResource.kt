package io.ascall.callview.rest

import io.ascall.callview.CallStatus
import io.ascall.callview.config.suspending
import io.ascall.callview.repository.CallViewFilter
import io.ascall.callview.repository.CallViewStore
import io.ascall.callview.stream.CallViewStreams
import io.ascall.callview.stream.StreamItem
import io.ascall.problem.CommonProblemType
import io.ascall.problem.Problem
import io.ascall.problem.QueryParams
import io.ascall.security.Caller
import io.ascall.security.Roles
import io.smallrye.mutiny.Multi
import io.smallrye.mutiny.Uni
import jakarta.annotation.security.RolesAllowed
import jakarta.ws.rs.DefaultValue
import jakarta.ws.rs.GET
import jakarta.ws.rs.Path
import jakarta.ws.rs.Produces
import jakarta.ws.rs.core.Context
import jakarta.ws.rs.core.MediaType
import jakarta.ws.rs.sse.OutboundSseEvent
import jakarta.ws.rs.sse.Sse
import org.eclipse.microprofile.openapi.annotations.Operation
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType
import org.eclipse.microprofile.openapi.annotations.media.Content
import org.eclipse.microprofile.openapi.annotations.media.Schema
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse
import org.eclipse.microprofile.openapi.annotations.tags.Tag
import org.jboss.resteasy.reactive.RestHeader
import org.jboss.resteasy.reactive.RestPath
import org.jboss.resteasy.reactive.RestQuery
import org.jboss.resteasy.reactive.RestStreamElementType

/**
 * The read model of every call: one call, a page of calls, or one call live. A customer sees only
 * their own calls (the token's subject is the view's customerId); another customer's call is
 * answered as no call (404), not as forbidden, so that nobody learns which calls exist. Operators
 * see every call. Nobody else reads here.
 */
@Path("/call-views")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Call views",
    description =
        "The read model of every call, built from the saga events: one call, a page of calls, or one call live",
)
class CallViewResource(
    private val views: CallViewStore,
    private val streams: CallViewStreams,
    private val caller: Caller,
) {

    /**
     * The call's view; 404 while the view has not seen the call's CallRequested, and for a customer
     * when it is another's.
     */
    @GET
    @Path("/{callId}")
    @RolesAllowed(Roles.CUSTOMER, Roles.OPERATOR)
    @Operation(
        operationId = "getCallView",
        summary = "A call's view",
        description =
            "The call's whole story as the events have told it so far. 404 while the view has not seen" +
                " the call's CallRequested (it lags call-service by moments). A customer's own call only" +
                " (another's is a 404, as an unknown call); an operator's any call.",
    )
    @APIResponse(
        responseCode = "200",
        description = "The call's view",
        content =
            [
                Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = Schema(implementation = CallViewResponse::class),
                )
            ],
    )
    @APIResponse(
        responseCode = "404",
        description =
            "The view does not know the call yet, or, to a customer, it is another customer's" +
                " (`not-found`)",
    )
    fun get(@Parameter(description = CALL_ID) @RestPath callId: String): Uni<CallViewResponse> {
        val id = Params.callId(callId)
        // read before the block: the caller is the request's, and the block may resume elsewhere
        val reader = if (caller.isOperator()) null else caller.subject()
        return suspending {
            val view =
                views.find(id)?.takeIf { reader == null || it.call.customerId == reader }
                    ?: throw Problem.of(CommonProblemType.NOT_FOUND, "No call $callId")
                        .toException()
            CallViewResponse.of(view)
        }
    }

    /**
     * Calls newest first (by when they were requested), filtered by customer, status and/or
     * engineer. An operator lists every call. A customer lists their own only: customerId is theirs
     * whether or not they give it, and naming another customer is a 403. The other filters only
     * narrow the customer's own calls (status; engineerId: "my calls this engineer came to"), so
     * they reveal nothing of anyone else's, not even a count.
     */
    @GET
    @RolesAllowed(Roles.CUSTOMER, Roles.OPERATOR)
    @Operation(
        operationId = "listCallViews",
        summary = "Call views, newest first",
        description =
            "Calls newest first (by when they were requested), filtered by customer, status and/or" +
                " engineer; the filters combine. Every wrong parameter is named in one 400 `validation`." +
                " An operator lists every call. A customer lists only their own: customerId is theirs" +
                " when left out, and must be theirs when given; status and engineerId narrow their own" +
                " calls.",
    )
    @APIResponse(
        responseCode = "200",
        description = "A page of call views",
        content =
            [
                Content(
                    mediaType = MediaType.APPLICATION_JSON,
                    schema = Schema(implementation = CallViewPage::class),
                )
            ],
    )
    @APIResponse(
        responseCode = "403",
        description =
            "A customer named another customer in customerId, or the token's role does not allow" +
                " this request (`forbidden`)",
    )
    fun list(
        @Parameter(
            description =
                "Only this customer's calls: 1 to 64 characters, not all blank (a customer: their own," +
                    " the default; another's is a 403)",
            schema =
                Schema(
                    type = SchemaType.STRING,
                    minLength = 1,
                    maxLength = MAX_CUSTOMER_ID,
                    nullable = false,
                ),
        )
        @RestQuery
        customerId: String?,
        @Parameter(
            description = "Only calls in this status (exactly one of the names, else 400)",
            schema = Schema(implementation = CallStatus::class, nullable = false),
        )
        @RestQuery
        status: String?,
        @Parameter(
            description =
                "Only calls this engineer was offered or dispatched to (a UUID, else 400)",
            schema = Schema(type = SchemaType.STRING, format = "uuid", nullable = false),
        )
        @RestQuery
        engineerId: String?,
        @Parameter(description = "The page, from 0") @RestQuery @DefaultValue("0") page: String,
        @Parameter(description = "Calls per page, 1 to 100")
        @RestQuery
        @DefaultValue("20")
        size: String,
    ): Uni<CallViewPage> {
        val params = Params()
        val filter =
            CallViewFilter(
                customerId = params.text("customerId", customerId, MAX_CUSTOMER_ID),
                status = params.enum<CallStatus>("status", status),
                engineerId = params.uuid("engineerId", engineerId),
            )
        val pageIndex = params.int("page", page, 0, QueryParams.MAX_PAGE)
        val pageSize = params.int("size", size, 1, MAX_PAGE_SIZE)
        params.check()
        val own =
            if (caller.isOperator()) filter
            else {
                val customer = caller.subject()
                if (filter.customerId != null && filter.customerId != customer) {
                    throw Problem.of(
                            CommonProblemType.FORBIDDEN,
                            "A customer sees only their own calls: leave customerId out, or give your own",
                        )
                        .toException()
                }
                filter.copy(customerId = customer)
            }
        return suspending {
            val (items, total) = views.list(own, pageIndex, pageSize)
            CallViewPage(items.map(CallViewResponse::of), pageIndex, pageSize, total)
        }
    }

    /**
     * The call's view as Server-Sent Events named `call-view`, with the view's version as `id`: the
     * current view at once, then every change, and a comment line when idle. A client may open it
     * right after requesting the call: the first event comes once the view knows the call. It stays
     * open after a final status (a refund still follows a cancellation); the client closes it. A
     * reconnecting client sends `Last-Event-ID` and gets the view only if it changed.
     *
     * A customer follows only their own call, an operator any: [StreamAccess] decides it before the
     * stream opens (once it has, a refusal could no longer be a problem with its status).
     */
    @GET
    @Path("/{callId}/stream")
    @RolesAllowed(Roles.CUSTOMER, Roles.OPERATOR)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(
        operationId = "streamCallView",
        summary = "Follow a call's view live",
        description =
            "Server-Sent Events named `call-view`, each with the view's version as `id` and the view as" +
                " JSON data: the current view at once, or as soon as the view knows the call (an id" +
                " the view has not seen yet is not refused at once: the request waits for it), then every" +
                " change, and a `heartbeat` comment when idle. The stream stays open after a final status" +
                " (a refund still follows a cancellation); the client closes it. It ends when this" +
                " replica shuts down or the client reads too slowly: reconnect with Last-Event-ID." +
                " A customer follows their own call only, and waits at most `callview.stream.await-call`" +
                " (10 s) for the view to know it: a call still unknown by then, and another customer's" +
                " call (after the same wait), are a 404, refused before the stream opens. An operator" +
                " follows any call, and an operator's stream waits for an unknown one without a limit.",
    )
    @APIResponse(
        responseCode = "200",
        description =
            "An unending stream of events `event: call-view`, `id: <version>`, `data: <the view as JSON>`;" +
                " with Last-Event-ID, the first event comes only once the view's version is past it",
        content =
            [
                Content(
                    mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = Schema(implementation = CallViewResponse::class),
                )
            ],
    )
    @APIResponse(
        responseCode = "404",
        description =
            "The id is not a UUID; to a customer, also a call the view has not known within" +
                " `callview.stream.await-call`, or another customer's call (`not-found`), before the" +
                " stream opens",
    )
    fun stream(
        @Parameter(description = CALL_ID) @RestPath callId: String,
        @Parameter(
            description =
                "The `id` (view version) of the last event a reconnecting client received: a whole" +
                    " number from 0, else 400. The view is sent only once its version is greater.",
            schema =
                Schema(
                    type = SchemaType.INTEGER,
                    format = "int32",
                    minimum = "0",
                    nullable = false,
                ),
        )
        @RestHeader("Last-Event-ID")
        lastEventId: String?,
        @Context sse: Sse,
    ): Multi<OutboundSseEvent> {
        val id = Params.callId(callId)
        val params = Params()
        val lastSeen =
            lastEventId?.let { params.int("Last-Event-ID", it.trim(), 0, Int.MAX_VALUE).toLong() }
                ?: 0L
        params.check()
        return streams.follow(id, lastSeen).map { item ->
            when (item) {
                is StreamItem.Changed ->
                    sse.newEventBuilder()
                        .name(EVENT_NAME)
                        .id(item.view.version.toString())
                        .data(CallViewResponse::class.java, CallViewResponse.of(item.view))
                        .build()
                StreamItem.Heartbeat -> sse.newEventBuilder().comment("heartbeat").build()
            }
        }
    }

    companion object {
        private const val CALL_ID = "The call's id (a UUID; anything else names no call: 404)"
        const val EVENT_NAME = "call-view"
        const val MAX_PAGE_SIZE = 100
        /** As call-service limits it. */
        const val MAX_CUSTOMER_ID = 64
    }
}
