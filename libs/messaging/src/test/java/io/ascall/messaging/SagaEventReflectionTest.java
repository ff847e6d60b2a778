package io.ascall.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.ascall.events.EventTopic;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Every event type of every topic is registered for reflection (the native image reads them with Jackson). */
class SagaEventReflectionTest {

    @Test
    void everyEventTypeIsRegistered() {
        Set<String> registered =
                Set.of(SagaEventReflection.class
                                .getAnnotation(RegisterForReflection.class)
                                .targets())
                        .stream()
                        .map(Class::getSimpleName)
                        .collect(Collectors.toSet());
        Set<String> types = EventTopic.ALL.stream()
                .flatMap(topic -> topic.typeNames().stream())
                .collect(Collectors.toSet());
        assertEquals(types, registered);
    }
}
