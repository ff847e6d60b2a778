package io.ascall.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A client that sends {@code "amount": "12"}, {@code 1.5} for an integer, {@code "customerId": 7},
 * {@code null} for a primitive, {@code "{...} trailing garbage"}, a field given twice or a string with a
 * NUL or another character {@link Text} refuses has a bug and should hear so (400
 * {@code malformed-request}) rather than have the value silently coerced, chosen or cleaned. Unknown
 * properties stay ignored, so that a service accepts bodies from newer clients.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    @SuppressWarnings("deprecation") // the ObjectMapper exists already; its builder is not ours to use
    public void customize(ObjectMapper mapper) {
        // Numbers and booleans are only read from JSON numbers and booleans: no "12", no 1.5 for an
        // integer, no 1 for true (an integer for a decimal number stays fine: 1 is a valid 1.0).
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // Jackson asks this one first for a decimal number given for an integer.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // That feature leaves text fields alone: 7 or true would still become "7" or "true".
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // ... and enums: 5 is not WASHER.
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // null, or nothing, is no number: a primitive would silently become 0 or false.
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        // "{...} trailing garbage" is not JSON either.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // {"reason":"a","reason":"b"}: which one did the client mean?
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Every string, whatever field it fills, is text as Text allows it.
        // An enum, from its exact name: Jackson trimmed "WASHER\u0000" into WASHER.
        mapper.registerModule(new SimpleModule("checked-text")
                .addDeserializer(String.class, new CheckedTextDeserializer())
                .setDeserializerModifier(new ExactEnums()));
    }
}
