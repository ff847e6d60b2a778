package io.ascall.callview.rest

import io.ascall.callview.config.CallViewConfig
import io.ascall.callview.config.suspending
import io.ascall.callview.stream.CallViewStreams
import io.ascall.problem.CommonProblemType
import io.ascall.problem.Problem
import io.ascall.security.Caller
import io.smallrye.mutiny.Uni
import jakarta.enterprise.context.ApplicationScoped
import jakarta.ws.rs.core.Response
import jakarta.ws.rs.core.UriInfo
import java.util.UUID
import kotlinx.coroutines.delay
import org.jboss.resteasy.reactive.server.ServerRequestFilter
import org.jboss.resteasy.reactive.server.SimpleResourceInfo

/**
 * Who may follow a call's stream, decided before the stream opens: Quarkus REST writes a stream's
 * 200 and headers as soon as the resource method returns it, so a refusal from inside the stream
 * could no longer be a problem with its status. Only the view knows whose call it is, which takes a
 * database read; a request filter may wait for one, a resource method returning a stream may not.
 *
 * It runs after the security check of [CallViewResource.stream] (`@RolesAllowed`): the caller is a
 * customer or an operator here. An operator follows any call. A customer's request waits for the
 * view to know the call (at most `callview.stream.await-call`: a client may open the stream right
 * after requesting the call) and goes on only if the call is theirs; otherwise it is a 404, as for
 * a call that does not exist, and only after the same wait, so that not even the answer's timing
 * tells another customer's call from an unknown one.
 */
@ApplicationScoped
class StreamAccess(
    private val caller: Caller,
    private val streams: CallViewStreams,
    private val config: CallViewConfig,
) {

    @ServerRequestFilter
    fun ownCallsOnly(resource: SimpleResourceInfo, uri: UriInfo): Uni<Response?> {
        if (
            resource.resourceClass != CallViewResource::class.java ||
                resource.methodName != STREAM_METHOD ||
                caller.isOperator()
        ) {
            return Uni.createFrom().nullItem()
        }
        val callId =
            try {
                UUID.fromString(uri.pathParameters.getFirst("callId"))
            } catch (e: IllegalArgumentException) {
                // names no call: the resource answers it as such, to everyone
                return Uni.createFrom().nullItem()
            }
        // read here, on the request: the block below may resume after the request scope has moved
        // on
        val customer = caller.subject()
        val wait = config.stream().awaitCall()
        return suspending {
            val started = System.nanoTime()
            val view = streams.awaitKnown(callId, wait)
            if (view != null && view.call.customerId == customer) {
                null
            } else {
                val waited = System.nanoTime() - started
                delay((wait.toNanos() - waited).coerceAtLeast(0) / 1_000_000)
                Problem.of(CommonProblemType.NOT_FOUND, "No call $callId").at(uri).toResponse()
            }
        }
    }

    companion object {
        /** [CallViewResource.stream]'s name, as Quarkus REST reports the method it matched. */
        private const val STREAM_METHOD = "stream"
    }
}
