package io.ascall.problem;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

/** Every JSON string a service reads, read as Jackson reads it, then held to {@link Text}'s rule. */
final class CheckedTextDeserializer extends StdScalarDeserializer<String> {

    CheckedTextDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = StringDeserializer.instance.deserialize(parser, context);
        String problem = text == null ? null : Text.problem(text);
        if (problem != null) {
            throw new ForbiddenText(parser, problem, text);
        }
        return text;
    }

    /** A string with a character {@link Text} refuses; the mapper names the field and the character. */
    static final class ForbiddenText extends InvalidFormatException {

        private final String problem;

        ForbiddenText(JsonParser parser, String problem, String text) {
            super(parser, "The text contains " + problem, text, String.class);
            this.problem = problem;
        }

        String problem() {
            return problem;
        }
    }
}
