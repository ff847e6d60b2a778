package io.ascall.callview.support

import io.ascall.callview.support.Callers.api
import io.restassured.path.json.JsonPath
import java.time.Duration
import java.util.UUID
import org.awaitility.Awaitility.await

/** call-view-service's API as a client uses it (as the operator: [Callers]). */
object Views {

    fun get(callId: UUID): JsonPath =
        api().get("/call-views/$callId").then().statusCode(200).extract().jsonPath()

    fun status(callId: UUID): Int = api().get("/call-views/$callId").statusCode

    /** The call's view once [ready] holds, within [within]. */
    fun await(
        callId: UUID,
        within: Duration = Duration.ofSeconds(30),
        ready: (JsonPath) -> Boolean,
    ): JsonPath {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until {
            status(callId) == 200 && ready(get(callId))
        }
        return get(callId)
    }

    /** Matches a problem's `instance` under the given path. */
    fun pathMatcher(prefix: String): org.hamcrest.Matcher<String> =
        org.hamcrest.Matchers.startsWith(prefix)

    /** The call's view once it has applied [version] events. */
    fun awaitVersion(
        callId: UUID,
        version: Int,
        within: Duration = Duration.ofSeconds(30),
    ): JsonPath = await(callId, within) { it.getInt("version") >= version }
}
