package io.ascall.callview.config

import io.smallrye.mutiny.Uni
import io.vertx.core.Context
import io.vertx.core.Vertx
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch

/**
 * Runs a suspending block as the [Uni] that Quarkus REST expects of a non-blocking resource method:
 * started when the Uni is subscribed, on the request's own Vert.x context (its event loop, never
 * blocked: the block only suspends), cancelled when the request goes away. Quarkus REST would call
 * `suspend` resource methods itself with the quarkus-rest-kotlin extension, which is not available
 * here for Quarkus 3.34.1 (README: "Kotlin on Quarkus 3.34.1 here").
 */
fun <T> suspending(block: suspend CoroutineScope.() -> T): Uni<T> =
    Uni.createFrom().emitter { emitter ->
        val dispatcher =
            Vertx.currentContext()?.let(::VertxContextDispatcher) ?: Dispatchers.Default
        val job =
            CoroutineScope(dispatcher).launch {
                try {
                    emitter.complete(block())
                } catch (cancelled: CancellationException) {
                    throw cancelled
                } catch (failure: Throwable) {
                    emitter.fail(failure)
                }
            }
        emitter.onTermination { job.cancel() }
    }

/** Resumes coroutines on one Vert.x context, as Quarkus does for its own coroutine support. */
class VertxContextDispatcher(private val context: Context) : CoroutineDispatcher() {
    override fun dispatch(context: CoroutineContext, block: Runnable) =
        this.context.runOnContext { block.run() }
}
