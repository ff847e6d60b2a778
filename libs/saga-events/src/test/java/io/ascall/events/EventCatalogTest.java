package io.ascall.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.ascall.local.EventContract;
import io.ascall.local.ProjectPaths;

/**
 * The typed events are docs/asyncapi.yaml: the same topics, the same types on each, the same
 * fields and required fields per type, and what the codec writes validates against the schema.
 * A field added to a record and not to the document (or the other way round) fails here.
 */
class EventCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode asyncApi;

    @BeforeAll
    static void readDocument() throws IOException {
        asyncApi = new ObjectMapper(new YAMLFactory())
                .readTree(ProjectPaths.locate()
                        .root()
                        .resolve("docs/asyncapi.yaml")
                        .toFile());
    }

    static Stream<Class<? extends SagaEvent>> eventTypes() {
        return EventTopic.ALL.stream()
                .flatMap(topic ->
                        topic.typeNames().stream().map(name -> topic.type(name).orElseThrow()));
    }

    @Test
    void everyChannelIsATopicWithTheSameTypes() {
        Set<String> addresses = new HashSet<>();
        asyncApi.get("channels").forEach(channel -> {
            String address = channel.get("address").asText();
            addresses.add(address);
            EventTopic<?> topic = EventTopic.ALL.stream()
                    .filter(t -> t.name().equals(address))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no EventTopic for channel " + address));
            Set<String> messages = new LinkedHashSet<>();
            channel.get("messages").fieldNames().forEachRemaining(messages::add);
            assertEquals(messages, topic.typeNames(), "the types of " + address);
        });
        assertEquals(
                addresses,
                Set.copyOf(EventTopic.ALL.stream().map(EventTopic::name).toList()));
    }

    @Test
    void eachTopicListsEveryRecordOfItsSealedFamily() {
        for (EventTopic<?> topic : EventTopic.ALL) {
            assertEquals(leaves(topic.family()), Set.copyOf(topic.typeNames()), topic.name());
        }
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void fieldsAndRequiredFieldsAreTheSchemas(Class<? extends SagaEvent> type) {
        Set<String> properties = new LinkedHashSet<>();
        Set<String> required = new LinkedHashSet<>();
        collect(asyncApi.at("/components/schemas/" + type.getSimpleName()), properties, required);
        properties.remove("type");
        required.remove("type");
        assertEquals(
                properties,
                Set.copyOf(Arrays.stream(type.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList()),
                "the fields of " + type.getSimpleName());
        assertEquals(
                required,
                Set.copyOf(EventCodec.instance().requiredFields(type)),
                "the required fields of " + type.getSimpleName());
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void whatTheCodecWritesMatchesTheSchemaAndReadsBack(Class<? extends SagaEvent> type) throws Exception {
        SagaEvent event = sample(type);
        ObjectNode json = withEnvelope(event);
        assertEquals(List.of(), EventContract.load().violations(json.toString()), json.toString());
        EventTopic<?> topic = EventTopic.of(event);
        assertEquals(event, EventCodec.instance().read(topic, event.type(), json));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void anEventWithoutOneOfItsRequiredFieldsIsUnreadable(Class<? extends SagaEvent> type) throws Exception {
        SagaEvent event = sample(type);
        for (String field : EventCodec.instance().requiredFields(type)) {
            ObjectNode missing = withEnvelope(event);
            missing.remove(field);
            ObjectNode nulled = withEnvelope(event);
            nulled.putNull(field);
            for (ObjectNode broken : List.of(missing, nulled)) {
                UnreadableEvent refused = assertThrows(
                        UnreadableEvent.class,
                        () -> EventCodec.instance().read(EventTopic.of(event), event.type(), broken));
                assertTrue(refused.getMessage().contains(field), refused.getMessage());
            }
        }
    }

    @Test
    void valuesAreNeverCoercedIntoAnotherType() throws Exception {
        CallRequested requested = (CallRequested) sample(CallRequested.class);
        for (String[] broken : new String[][] {
            {"fee", "\"12\""},
            {"fee", "1.5"},
            {"customerId", "12"},
            {"applianceType", "0"},
            {"applianceType", "\"SPACESHIP\""},
            {"fee", "true"}
        }) {
            ObjectNode json = withEnvelope(requested);
            json.set(broken[0], JSON.readTree(broken[1]));
            assertThrows(
                    UnreadableEvent.class,
                    () -> EventCodec.instance().read(EventTopic.CALL_EVENTS, "CallRequested", json),
                    broken[0] + "=" + broken[1]);
        }
    }

    @Test
    void aTypeItsTopicDoesNotCarryIsUnreadable() throws Exception {
        ObjectNode json = withEnvelope(sample(CallPaid.class));
        UnreadableEvent refused = assertThrows(
                UnreadableEvent.class, () -> EventCodec.instance().read(EventTopic.PAYMENT_EVENTS, "CallPaid", json));
        assertTrue(refused.getMessage().contains("unknown event type 'CallPaid'"), refused.getMessage());
    }

    @Test
    void fieldsANewerProducerAddsAreIgnored() throws Exception {
        CallPaid paid = (CallPaid) sample(CallPaid.class);
        ObjectNode json = withEnvelope(paid);
        json.put("paidWith", "a new field");
        assertEquals(paid, EventCodec.instance().read(EventTopic.CALL_EVENTS, "CallPaid", json));
    }

    private static ObjectNode withEnvelope(SagaEvent event) {
        ObjectNode json = JSON.createObjectNode()
                .put("eventId", UUID.randomUUID().toString())
                .put("type", event.type())
                .put("callId", UUID.randomUUID().toString())
                .put("occurredAt", Instant.now().toString())
                .put("source", EventTopic.of(event).source())
                .put("sequence", 1);
        json.setAll(EventCodec.instance().write(event));
        return json;
    }

    /** An event of the type with a valid value in every field. */
    static SagaEvent sample(Class<? extends SagaEvent> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        List<Object> values = new ArrayList<>();
        for (RecordComponent component : components) {
            Class<?> kind = component.getType();
            values.add(
                    kind == String.class
                            ? (component.getName().equals("currency") ? "KRW" : "sample")
                            : kind == UUID.class
                                    ? UUID.randomUUID()
                                    : kind == long.class
                                            ? 30000L
                                            : kind == int.class
                                                    ? 2
                                                    : kind == boolean.class
                                                            ? true
                                                            : kind == Instant.class
                                                                    ? Instant.parse("2026-12-01T10:15:30Z")
                                                                    : kind.isEnum()
                                                                            ? kind.getEnumConstants()[0]
                                                                            : null);
        }
        Constructor<? extends SagaEvent> canonical = type.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        return canonical.newInstance(values.toArray());
    }

    /** The properties and required names of a schema, through its allOf parts, without the envelope's. */
    private static void collect(JsonNode schema, Set<String> properties, Set<String> required) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.endsWith("/Envelope")) {
                collect(asyncApi.at(ref.substring(1)), properties, required);
            }
            return;
        }
        schema.path("allOf").forEach(part -> collect(part, properties, required));
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        schema.path("required").forEach(name -> required.add(name.asText()));
    }

    private static Set<String> leaves(Class<?> family) {
        Set<String> names = new HashSet<>();
        for (Class<?> permitted : family.getPermittedSubclasses()) {
            if (permitted.isRecord()) {
                names.add(permitted.getSimpleName());
            } else {
                names.addAll(leaves(permitted));
            }
        }
        return names;
    }
}
