package io.ascall.callview.support

import io.restassured.RestAssured
import io.restassured.path.json.JsonPath
import java.io.InputStream
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpHeaders
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * A real Server-Sent Events client over HTTP (java.net.http): reads the stream as a browser's
 * EventSource would, line by line, on a thread of its own.
 */
class SseClient private constructor(val response: HttpResponse<InputStream>) : AutoCloseable {

    /** A stream refused before it opened: the answer's status, headers and body (a problem). */
    data class Refusal(val status: Int, val headers: HttpHeaders, val body: String) {
        val problem: JsonPath
            get() = JsonPath.from(body)

        fun header(name: String): String? = headers.firstValue(name).orElse(null)
    }

    /** One dispatched event: its `event` name, its `id` and its `data` (the view, as JSON). */
    data class Event(val name: String?, val id: String?, val data: String) {
        val view: JsonPath
            get() = JsonPath.from(data)
    }

    private val events = LinkedBlockingQueue<Event>()
    private val comments = AtomicInteger()
    private val reader =
        Thread({ read() }, "sse-client").apply {
            isDaemon = true
            start()
        }

    /** Comment lines (heartbeats) received so far. */
    val heartbeats: Int
        get() = comments.get()

    /** The next event, waiting up to [timeout]. */
    fun next(timeout: Duration = Duration.ofSeconds(20)): Event =
        events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS)
            ?: throw AssertionError("No event within $timeout")

    /** Null when no event came within [during]. */
    fun nextOrNull(during: Duration): Event? = events.poll(during.toMillis(), TimeUnit.MILLISECONDS)

    /** The next event whose view satisfies [wanted], skipping the others. */
    fun nextUntil(
        timeout: Duration = Duration.ofSeconds(20),
        wanted: (JsonPath) -> Boolean,
    ): Event {
        val deadline = System.nanoTime() + timeout.toNanos()
        while (true) {
            val left = Duration.ofNanos(deadline - System.nanoTime())
            val event =
                nextOrNull(if (left.isNegative) Duration.ZERO else left)
                    ?: throw AssertionError("No such event within $timeout")
            if (wanted(event.view)) return event
        }
    }

    private fun read() {
        var name: String? = null
        var id: String? = null
        val data = StringBuilder()
        try {
            response.body().bufferedReader().useLines { lines ->
                for (line in lines) {
                    when {
                        line.isEmpty() -> {
                            if (data.isNotEmpty()) events.add(Event(name, id, data.toString()))
                            name = null
                            data.setLength(0)
                        }
                        line.startsWith(":") -> comments.incrementAndGet()
                        line.startsWith("event:") -> name = line.removePrefix("event:").trim()
                        line.startsWith("id:") -> id = line.removePrefix("id:").trim()
                        line.startsWith("data:") -> {
                            if (data.isNotEmpty()) data.append('\n')
                            data.append(line.removePrefix("data:").removePrefix(" "))
                        }
                    }
                }
            }
        } catch (closed: java.io.IOException) {
            // the test closed the stream
        }
    }

    override fun close() {
        response.body().close()
        reader.join(2000)
    }

    companion object {
        private val HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

        /**
         * Opens the stream at [path] of the service under test (waits for the response's headers),
         * with [token] as the bearer token (the operator's unless told; none if null).
         */
        fun open(
            path: String,
            lastEventId: String? = null,
            token: String? = Callers.OPERATOR_TOKEN,
        ): SseClient =
            SseClient(
                HTTP.send(
                    request(path, lastEventId, token),
                    HttpResponse.BodyHandlers.ofInputStream(),
                )
            )

        /**
         * The refusal of the stream at [path] asked for with [token] (none if null): its status,
         * headers and body. A stream that opens instead (200) fails the test at once, and is
         * closed: read through RestAssured, which reads a body to its end, it would never end.
         */
        fun refused(path: String, token: String?): Refusal {
            val response =
                HTTP.send(request(path, null, token), HttpResponse.BodyHandlers.ofInputStream())
            if (response.statusCode() == 200) {
                response.body().close()
                throw AssertionError("The stream at $path opened instead of being refused")
            }
            val body = response.body().use { String(it.readAllBytes(), Charsets.UTF_8) }
            return Refusal(response.statusCode(), response.headers(), body)
        }

        private fun request(path: String, lastEventId: String?, token: String?): HttpRequest =
            HttpRequest.newBuilder(URI.create("http://localhost:${RestAssured.port}$path"))
                .header("Accept", "text/event-stream")
                .apply { lastEventId?.let { header("Last-Event-ID", it) } }
                .apply { token?.let { header("Authorization", "Bearer $it") } }
                .GET()
                .build()
    }
}
