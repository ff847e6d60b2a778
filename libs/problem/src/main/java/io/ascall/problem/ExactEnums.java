package io.ascall.problem;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;

/**
 * An enum is read from its exact name. Jackson's own reader, failing an exact match, trims the
 * text and tries again, so {@code "WASHER\u0000"} or {@code "WASHER "} became WASHER (the
 * odd-input battery found it: the text rule of {@link CheckedTextDeserializer} never sees an
 * enum's text). The services' enums are written by their names (no {@code @JsonValue}).
 */
final class ExactEnums extends BeanDeserializerModifier {

    @Override
    public JsonDeserializer<?> modifyEnumDeserializer(
            DeserializationConfig config, JavaType type, BeanDescription description, JsonDeserializer<?> reader) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(type.getRawClass().getEnumConstants()).forEach(value -> names.add(((Enum<?>) value).name()));
        return new Exact(reader, type.getRawClass(), names);
    }

    private static final class Exact extends DelegatingDeserializer {
        private final Class<?> enumType;
        private final Set<String> names;

        Exact(JsonDeserializer<?> reader, Class<?> enumType, Set<String> names) {
            super(reader);
            this.enumType = enumType;
            this.names = names;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> reader) {
            return new Exact(reader, enumType, names);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING) && !names.contains(parser.getText())) {
                return context.handleWeirdStringValue(enumType, parser.getText(), "not one of " + names);
            }
            return super.deserialize(parser, context);
        }
    }
}
