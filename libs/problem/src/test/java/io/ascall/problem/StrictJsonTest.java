package io.ascall.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What StrictJson makes Jackson refuse, and what it still reads. Each refused body is the valid
 * one with a single value changed, so that nothing else can be what is refused.
 */
class StrictJsonTest {

    enum Appliance {
        WASHER
    }

    record Body(
            String name,
            long amount,
            Long visits,
            double ratio,
            boolean urgent,
            Appliance appliance,
            List<Appliance> skills) {}

    private static final String VALID = "{\"name\":\"a\",\"amount\":1,\"visits\":2,\"ratio\":0.5,\"urgent\":true,"
            + "\"appliance\":\"WASHER\",\"skills\":[\"WASHER\"]}";

    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void strict() {
        new StrictJson().customize(mapper);
    }

    private Body read(String json) throws JsonProcessingException {
        return mapper.readValue(json, Body.class);
    }

    private static String with(String field, String json) {
        String body =
                VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\[[^\\]]*\\]|[^,}]+)", "\"" + field + "\":" + json);
        assertEquals(false, body.equals(VALID), "no field " + field);
        return body;
    }

    @Test
    void readsWhatIsWellTyped() throws JsonProcessingException {
        assertEquals(new Body("a", 1, 2L, 0.5, true, Appliance.WASHER, List.of(Appliance.WASHER)), read(VALID));
        assertEquals(1.0, read(with("ratio", "1")).ratio(), "an integer is a fine decimal");
        assertEquals(null, read(with("visits", "null")).visits(), "null is fine for what is not primitive");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "amount    | \"12\"",
                "amount | 1.5",
                "amount | 1.0",
                "amount | true",
                "amount | null",
                "amount | \"\"",
                "visits    | \"2\"",
                "visits | 2.5",
                "ratio     | \"0.5\"",
                "ratio | true",
                "urgent    | \"true\"",
                "urgent | 1",
                "urgent | null",
                "name      | 7",
                "name | 1.5",
                "name | true",
                "appliance | 0",
                "skills    | \"WASHER\""
            })
    void refusesCoercion(String field, String json) {
        assertThrows(JsonProcessingException.class, () -> read(with(field, json)));
    }

    /** Jackson trimmed an enum's text and tried again: WASHER plus a NUL, a control or a space was WASHER. */
    @ParameterizedTest
    @ValueSource(strings = {"\"WASHER\\u0000\"", "\"WASHER \"", "\" WASHER\"", "\"\\u0001WASHER\"", "\"washer\""})
    void anEnumIsReadOnlyFromItsExactName(String json) {
        assertThrows(JsonProcessingException.class, () -> read(with("appliance", json)));
        assertThrows(JsonProcessingException.class, () -> read(with("skills", "[" + json + "]")));
    }

    @Test
    void refusesAMissingPrimitive() {
        assertThrows(JsonProcessingException.class, () -> read(VALID.replace("\"amount\":1,", "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {" {}", " x", "]", " 1"})
    void refusesTrailingTokens(String trailing) {
        assertThrows(JsonProcessingException.class, () -> read(VALID + trailing));
    }
}
