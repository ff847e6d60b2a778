package io.ascall.payment.problem;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A client that sends {@code "amount": "12"}, {@code 1.5} or {@code "customerId": 7} has a bug
 * and should hear so (400 malformed-request) rather than have the value silently coerced. Unknown
 * properties stay ignored, so that this service accepts bodies from newer clients.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    @SuppressWarnings("deprecation") // the ObjectMapper exists already; its builder is not ours to use
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // That feature leaves text fields alone: 7 or true would still become "7" or "true".
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // "{...} trailing garbage" is not JSON either.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
