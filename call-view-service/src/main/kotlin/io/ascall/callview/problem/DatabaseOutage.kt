package io.ascall.callview.problem

import io.netty.channel.ConnectTimeoutException
import io.vertx.core.impl.NoStackTraceThrowable
import io.vertx.sqlclient.ClosedConnectionException
import java.net.ConnectException
import java.time.Duration

/**
 * Tells a failure of the database connection (a dependency the client can wait for: 503) from a
 * failure of the request itself (500). The API only reads, so a retry is always safe.
 */
internal object DatabaseOutage {

    val RETRY_AFTER: Duration = Duration.ofSeconds(5)

    fun causedBy(failure: Throwable): Boolean =
        generateSequence(failure) { it.cause?.takeIf { cause -> cause !== it } }
            .any {
                it is ConnectException ||
                    it is ConnectTimeoutException ||
                    it is ClosedConnectionException ||
                    // the Vert.x pool reports a refused or lost connection without a typed
                    // exception
                    (it is NoStackTraceThrowable &&
                        it.message?.lowercase()?.contains("connection") == true)
            }
}
