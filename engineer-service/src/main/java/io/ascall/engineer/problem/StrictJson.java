package io.ascall.engineer.problem;

import static com.fasterxml.jackson.databind.cfg.CoercionAction.Fail;
import static com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean;
import static com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float;
import static com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer;
import static com.fasterxml.jackson.databind.cfg.CoercionInputShape.String;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A client that sends {@code "region": 5}, {@code "amount": "12"} or {@code 1.5} for an integer
 * has a bug and should hear so (400) instead of having the value silently coerced. Unknown
 * properties stay ignored, so that an older server accepts a newer client.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(String, Fail).setCoercion(Float, Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(String, Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(String, Fail).setCoercion(Integer, Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(Integer, Fail).setCoercion(Float, Fail)
                .setCoercion(Boolean, Fail);
    }
}
