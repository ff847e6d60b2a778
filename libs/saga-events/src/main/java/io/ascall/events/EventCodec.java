package io.ascall.events;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Writes an event's own fields as JSON and reads them back into its record, strictly: a field the
 * type requires ({@link Required}) must be there and not null, and no value is coerced into
 * another JSON type ({@code "12"} is no number, {@code 12} no string, {@code 1.5} no integer).
 * Fields the record does not have are ignored: the envelope's, and any a newer producer adds.
 *
 * <p>It has its own mapper, so a service's JSON settings for its API never change its events.
 */
public final class EventCodec {

    private static final EventCodec INSTANCE = new EventCodec();

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(
                    LogicalType.Textual,
                    config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private final Map<Class<?>, List<String>> requiredFields = new ConcurrentHashMap<>();

    private EventCodec() {}

    public static EventCodec instance() {
        return INSTANCE;
    }

    /** The event's own fields (without the envelope), absent optional ones as null. */
    public ObjectNode write(SagaEvent event) {
        return mapper.valueToTree(event);
    }

    /**
     * Reads an event of the topic from a JSON object that holds its fields (beside its envelope).
     *
     * @throws UnreadableEvent when the topic has no such type, or the fields do not make one
     */
    public <E extends SagaEvent> E read(EventTopic<E> topic, String typeName, JsonNode fields) {
        Class<? extends E> type = topic.type(typeName)
                .orElseThrow(() -> new UnreadableEvent("unknown event type '" + typeName + "' on " + topic.name()));
        if (!(fields instanceof ObjectNode)) {
            throw new UnreadableEvent(typeName + " is not a JSON object");
        }
        for (String field : requiredFields(type)) {
            if (!fields.hasNonNull(field)) {
                throw new UnreadableEvent(typeName + " without '" + field + "'");
            }
        }
        try {
            return mapper.treeToValue(fields, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new UnreadableEvent(typeName + " with a malformed field: " + message);
        }
    }

    /** The names of the fields every event of the type carries. */
    public List<String> requiredFields(Class<? extends SagaEvent> type) {
        return requiredFields.computeIfAbsent(
                type,
                record -> Arrays.stream(record.getRecordComponents())
                        .filter(component -> component.isAnnotationPresent(Required.class))
                        .map(RecordComponent::getName)
                        .toList());
    }
}
