package io.ascall.callview.health

import io.ascall.callview.stream.CallViewStreams
import jakarta.enterprise.context.ApplicationScoped
import org.eclipse.microprofile.health.HealthCheck
import org.eclipse.microprofile.health.HealthCheckResponse
import org.eclipse.microprofile.health.Readiness

/**
 * Readiness data about the projection: how far behind the topics it is, how many events wait for an
 * earlier one, how many streams this replica serves. Always UP: the database and the Kafka channels
 * have their own checks; a lag is for operators to see, not a reason to stop serving.
 */
@Readiness
@ApplicationScoped
class ProjectionReadiness(private val lag: ConsumerLag, private val streams: CallViewStreams) :
    HealthCheck {

    override fun call(): HealthCheckResponse {
        val response =
            HealthCheckResponse.named(NAME)
                .up()
                .withData("openStreams", streams.openStreams().toLong())
        val measured = lag.latest() ?: return response.withData("lag", "not measured yet").build()
        measured.lag.forEach { (topic, records) -> response.withData("lag.$topic", records) }
        measured.parkedEvents?.let { response.withData("parkedEvents", it) }
        measured.problem?.let { response.withData("lagProblem", it) }
        return response.withData("lagMeasuredAt", measured.at.toString()).build()
    }

    companion object {
        const val NAME = "call-view projection"
    }
}
