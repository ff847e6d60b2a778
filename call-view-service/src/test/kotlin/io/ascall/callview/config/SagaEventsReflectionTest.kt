package io.ascall.callview.config

import io.ascall.events.EventTopic
import io.quarkus.runtime.annotations.RegisterForReflection
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class SagaEventsReflectionTest {

    @Test
    fun `every event type of the catalogue, and every enum in them, is registered for reflection`() {
        val events =
            EventTopic.ALL.flatMap { topic ->
                topic.typeNames().map { topic.type(it).orElseThrow() }
            }
        val enums = events.flatMap { event ->
            event.recordComponents.map { it.type }.filter { it.isEnum }
        }
        val registered =
            SagaEventsReflection::class
                .java
                .getAnnotation(RegisterForReflection::class.java)
                .targets
        assertEquals(
            (events + enums).map { it.name }.toSortedSet(),
            registered.map { it.java.name }.toSortedSet(),
        )
    }
}
