package io.ascall.callview.support

import io.restassured.RestAssured.given
import io.restassured.path.json.JsonPath
import java.time.Duration
import java.util.UUID
import org.awaitility.Awaitility.await

/** call-view-service's API as a client uses it. */
object Views {

    fun get(callId: UUID): JsonPath =
        given().get("/call-views/$callId").then().statusCode(200).extract().jsonPath()

    fun status(callId: UUID): Int = given().get("/call-views/$callId").statusCode

    /** The call's view once [ready] holds. */
    fun await(callId: UUID, ready: (JsonPath) -> Boolean): JsonPath {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until {
            status(callId) == 200 && ready(get(callId))
        }
        return get(callId)
    }

    /** Matches a problem's `instance` under the given path. */
    fun pathMatcher(prefix: String): org.hamcrest.Matcher<String> =
        org.hamcrest.Matchers.startsWith(prefix)

    /** The call's view once it has applied [version] events. */
    fun awaitVersion(callId: UUID, version: Int): JsonPath =
        await(callId) { it.getInt("version") >= version }
}
