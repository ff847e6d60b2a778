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
import io.smallrye.mutiny.Multi
import io.smallrye.mutiny.Uni
import jakarta.ws.rs.DefaultValue
import jakarta.ws.rs.GET
import jakarta.ws.rs.Path
import jakarta.ws.rs.Produces
import jakarta.ws.rs.core.Context
import jakarta.ws.rs.core.MediaType
import jakarta.ws.rs.sse.OutboundSseEvent
import jakarta.ws.rs.sse.Sse
import org.jboss.resteasy.reactive.RestHeader
import org.jboss.resteasy.reactive.RestPath
import org.jboss.resteasy.reactive.RestQuery
import org.jboss.resteasy.reactive.RestStreamElementType

/** The read model of every call: one call, a page of calls, or one call live. */
@Path("/call-views")
@Produces(MediaType.APPLICATION_JSON)
class CallViewResource(private val views: CallViewStore, private val streams: CallViewStreams) {

    /** The call's view; 404 while the view has not seen the call's CallRequested. */
    @GET
    @Path("/{callId}")
    fun get(@RestPath callId: String): Uni<CallViewResponse> {
        val id = Params.callId(callId)
        return suspending {
            val view =
                views.find(id)
                    ?: throw Problem.of(CommonProblemType.NOT_FOUND, "No call $callId")
                        .toException()
            CallViewResponse.of(view)
        }
    }

    /**
     * Calls newest first (by when they were requested), filtered by customer, status and/or
     * engineer.
     */
    @GET
    fun list(
        @RestQuery customerId: String?,
        @RestQuery status: String?,
        @RestQuery engineerId: String?,
        @RestQuery @DefaultValue("0") page: String,
        @RestQuery @DefaultValue("20") size: String,
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
        return suspending {
            val (items, total) = views.list(filter, pageIndex, pageSize)
            CallViewPage(items.map(CallViewResponse::of), pageIndex, pageSize, total)
        }
    }

    /**
     * The call's view as Server-Sent Events named `call-view`, with the view's version as `id`: the
     * current view at once, then every change, and a comment line when idle. A client may open it
     * right after requesting the call: the first event comes once the view knows the call. It stays
     * open after a final status (a refund still follows a cancellation); the client closes it. A
     * reconnecting client sends `Last-Event-ID` and gets the view only if it changed.
     */
    @GET
    @Path("/{callId}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    fun stream(
        @RestPath callId: String,
        @RestHeader("Last-Event-ID") lastEventId: String?,
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
        const val EVENT_NAME = "call-view"
        const val MAX_PAGE_SIZE = 100
        /** As call-service limits it. */
        const val MAX_CUSTOMER_ID = 64
    }
}
