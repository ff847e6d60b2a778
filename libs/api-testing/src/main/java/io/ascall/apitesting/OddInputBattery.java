package io.ascall.apitesting;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Odd input for every operation, parameter and body field of a service, generated from its OpenAPI
 * document ({@link ApiContract}): for text NUL, control characters, DEL, a C1 control, a
 * noncharacter, a lone surrogate, a trailing space, one character over the documented limit; for
 * integers -1, 0, the largest int, overflow, a fraction; for durations values beyond range; for
 * bodies a field given twice, a field missing or null, malformed JSON, wrong Content-Types, a body
 * over the size limit; for every operation a URI and headers over the limits.
 *
 * <p>Each case is sent on its own and judged: one that the document's constraints refuse must be
 * answered 4xx with a problem; any other (a trailing space in free text is text, an unknown field is
 * ignored) may be accepted but never answered 5xx, and a 4xx is still a problem. Every answer also
 * passes the contract's filter (its status must be documented). Refusals come first, so that a
 * test can compare its database before and after them ({@link #refusals()}, then {@link
 * #acceptable()}).
 */
public final class OddInputBattery {

    /** One request and what it must get. */
    public record Case(
            String operation, String what, boolean mustRefuse, Function<RequestSpecification, Response> send) {
        @Override
        public String toString() {
            return operation + " with " + what;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOLE = "\"@@odd@@\"";
    private static final RestAssuredConfig AS_IS = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private final ApiContract contract;
    private final Map<String, String> pathValues = new HashMap<>();
    private final Map<String, Map<String, Object>> bodies = new HashMap<>();
    private final Set<String> skipped = new HashSet<>();
    private final Map<String, String> tokens = new HashMap<>();
    private String token;

    private OddInputBattery(ApiContract contract) {
        this.contract = contract;
    }

    public static OddInputBattery of(ApiContract contract) {
        return new OddInputBattery(contract);
    }

    /** The value a path parameter takes in every case that does not change it (an existing id). */
    public OddInputBattery pathValue(String parameter, String value) {
        pathValues.put(parameter, value);
        return this;
    }

    /** The valid body an operation's cases start from; else one is made from the schema. */
    public OddInputBattery body(String operationId, Map<String, Object> body) {
        bodies.put(operationId, body);
        return this;
    }

    /**
     * The bearer token every case is sent with (one allowed to call the operations), unless
     * {@link #token(String, String)} names another for its operation. Every case must get past
     * authentication: an odd input refused as a 401 or 403 would prove nothing about the input.
     */
    public OddInputBattery token(String token) {
        this.token = token;
        return this;
    }

    /** The token of one operation ("POST /payments"): a caller allowed to call it. */
    public OddInputBattery token(String operation, String token) {
        tokens.put(operation, token);
        return this;
    }

    /** An operation left out ("GET /x/{id}/stream": a stream that is accepted never ends). */
    public OddInputBattery skip(String operation) {
        skipped.add(operation);
        return this;
    }

    public List<Case> refusals() {
        return cases().stream().filter(Case::mustRefuse).toList();
    }

    public List<Case> acceptable() {
        return cases().stream().filter(c -> !c.mustRefuse()).toList();
    }

    /**
     * The whole battery, judged: the refusals first, between two snapshots of the service's
     * database (taken once it is quiet), then the acceptable cases. Fails naming every case answered
     * wrongly, if a refusal changed a row, or if fewer refusals were generated than expected (the
     * document lost an operation or its constraints).
     */
    public void check(DatabaseSnapshot database, int minimumRefusals) {
        String before = database.whenQuiet();
        if (!before.contains("=")) {
            fail("The database snapshot saw no table: it would prove nothing (" + before + ")");
        }
        List<Case> refusals = refusals();
        List<String> wrong = new ArrayList<>(send(refusals));
        String after = database.take();
        wrong.addAll(send(acceptable()));
        if (refusals.size() < minimumRefusals) {
            fail("The battery generated only " + refusals.size() + " refusals, fewer than " + minimumRefusals);
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " odd inputs answered wrongly:\n" + String.join("\n", wrong));
        }
        assertEquals(before, after, "a refused request changed the database");
        contract.assertConforms();
    }

    /** Sends the cases; returns what went wrong, one line each (empty: all answered as they must). */
    public List<String> send(List<Case> cases) {
        List<String> wrong = new ArrayList<>();
        for (Case odd : cases) {
            Response answer;
            try {
                RequestSpecification request =
                        given().config(AS_IS).urlEncodingEnabled(false).filter(contract);
                String bearer = tokens.getOrDefault(odd.operation(), token);
                if (bearer != null) {
                    request = request.header("Authorization", "Bearer " + bearer);
                }
                answer = odd.send().apply(request);
            } catch (RuntimeException e) {
                wrong.add(odd + ": no answer (" + e + ")");
                continue;
            }
            int status = answer.statusCode();
            String type = answer.contentType();
            boolean problem = type != null
                    && type.startsWith("application/problem+json")
                    && answer.asString().contains("\"type\":\"urn:ascall:problem:");
            if (status == 401 || status == 403) {
                wrong.add(odd + ": refused for its credentials (" + status + "), not judged on its input:"
                        + " give the battery a token allowed to call " + odd.operation());
            } else if (status >= 500) {
                wrong.add(odd + ": " + status + " " + abbreviated(answer.asString()));
            } else if (odd.mustRefuse() && status < 400) {
                wrong.add(odd + ": accepted (" + status + ") " + abbreviated(answer.asString()));
            } else if (status >= 400 && !problem) {
                wrong.add(odd + ": " + status + " without a problem body (" + type + ")");
            }
        }
        return wrong;
    }

    public List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        JsonNode paths = contract.document().path("paths");
        for (ApiContract.Operation operation : contract.operations()) {
            if (skipped.contains(operation.key())) {
                continue;
            }
            JsonNode spec = paths.path(operation.path()).path(operation.method().toLowerCase());
            cases.addAll(casesOf(operation, spec));
        }
        return cases;
    }

    private List<Case> casesOf(ApiContract.Operation operation, JsonNode spec) {
        List<Case> cases = new ArrayList<>();
        String id = spec.path("operationId").asText(operation.key());
        Map<String, String> path = new LinkedHashMap<>();
        Map<String, JsonNode> query = new LinkedHashMap<>();
        Map<String, JsonNode> headers = new LinkedHashMap<>();
        for (JsonNode parameter : spec.path("parameters")) {
            String name = parameter.path("name").asText();
            JsonNode schema = contract.resolve(parameter.path("schema"));
            switch (parameter.path("in").asText()) {
                case "path" ->
                    path.put(
                            name,
                            pathValues.getOrDefault(name, UUID.randomUUID().toString()));
                case "query" -> query.put(name, schema);
                case "header" -> headers.put(name, schema);
                default -> {}
            }
        }
        JsonNode bodySchema = spec.path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        boolean hasBody = !bodySchema.isMissingNode();
        JsonNode resolvedBody = hasBody ? contract.resolve(bodySchema) : null;
        String validBody = hasBody ? write(bodies.getOrDefault(id, example(resolvedBody))) : null;
        Request base = new Request(operation, path, Map.of(), Map.of(), validBody, "application/json");

        for (Map.Entry<String, String> parameter : path.entrySet()) {
            for (String[] odd : new String[][] {
                {"%00", "NUL"}, {"%01", "a control character"}, {"%7F", "DEL"}, {"%20", "a trailing space"}
            }) {
                cases.add(base.withPath(parameter.getKey(), parameter.getValue() + odd[0])
                        .asCase(true, "path " + parameter.getKey() + " ending in " + odd[1]));
            }
            cases.add(base.withPath(parameter.getKey(), "a".repeat(300))
                    .asCase(true, "path " + parameter.getKey() + " of 300 characters"));
        }
        for (Map.Entry<String, JsonNode> parameter : query.entrySet()) {
            String name = parameter.getKey();
            for (Odd odd : oddValues(parameter.getValue(), true)) {
                cases.add(
                        base.withQuery(name, odd.value()).asCase(odd.mustRefuse(), "query " + name + " " + odd.what()));
            }
        }
        for (Map.Entry<String, JsonNode> header : headers.entrySet()) {
            String name = header.getKey();
            JsonNode schema = header.getValue();
            cases.add(base.withHeader(name, "").asCase(true, "header " + name + " empty"));
            cases.add(base.withHeader(name, "k\u00e9y").asCase(true, "header " + name + " not ASCII"));
            if (schema.has("maxLength")) {
                cases.add(base.withHeader(
                                name, "k".repeat(schema.path("maxLength").asInt() + 1))
                        .asCase(true, "header " + name + " one over maxLength"));
            }
        }
        if (hasBody) {
            cases.addAll(bodyCases(base, resolvedBody, bodies.getOrDefault(id, example(resolvedBody))));
        }
        cases.add(base.withQuery("padding", "a".repeat(5000)).asCase(true, "a URI over the limit"));
        cases.add(base.withHeader("X-Padding", "a".repeat(25_000)).asCase(true, "headers over the limit"));
        return cases;
    }

    private List<Case> bodyCases(Request base, JsonNode schema, Map<String, Object> valid) {
        List<Case> cases = new ArrayList<>();
        JsonNode properties = schema.path("properties");
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode property = contract.resolve(properties.path(name));
            for (Odd odd : oddValues(property, false)) {
                cases.add(base.withBody(with(valid, name, odd.value()))
                        .asCase(odd.mustRefuse(), "field " + name + " " + odd.what()));
            }
            if (required.contains(name)) {
                Map<String, Object> without = new LinkedHashMap<>(valid);
                without.remove(name);
                cases.add(base.withBody(write(without)).asCase(true, "field " + name + " missing"));
                cases.add(base.withBody(with(valid, name, "null")).asCase(true, "field " + name + " null"));
            }
        }
        String body = base.body();
        if (!valid.isEmpty()) {
            String first = valid.keySet().iterator().next();
            String twice = body.substring(0, body.length() - 1) + ","
                    + write(Map.of(first, valid.get(first))).substring(1);
            cases.add(base.withBody(twice).asCase(true, "field " + first + " given twice"));
        }
        cases.add(base.withBody(body.substring(0, body.length() - 1) + ",\"unknownField\":1}")
                .asCase(false, "an unknown field (ignored, README)"));
        cases.add(base.withBody("{").asCase(true, "malformed JSON"));
        cases.add(base.withBody("[]").asCase(true, "an array, not an object"));
        cases.add(base.withBody("").asCase(true, "no body"));
        cases.add(base.withBody("{\"x\":\"" + "a".repeat(70_000) + "\"}").asCase(true, "a body over 64 KiB"));
        for (String type : new String[] {"text/plain", "*/*", "application/json; charset=UTF-16", "application/xml"}) {
            cases.add(base.withContentType(type).asCase(true, "Content-Type " + type));
        }
        return cases;
    }

    /** An odd value: in a query, percent-encoded; in a body, a JSON literal. */
    private record Odd(String value, boolean mustRefuse, String what) {}

    private List<Odd> oddValues(JsonNode schema, boolean query) {
        List<Odd> odd = new ArrayList<>();
        String type = schema.path("type").asText("string");
        String format = schema.path("format").asText("");
        boolean enumerated = schema.has("enum");
        String valid = validText(schema);
        if (type.equals("string")) {
            odd.add(text(query, valid + "\u0000", "%00", true, "ending in NUL"));
            odd.add(text(query, "\u0001" + valid, "%01", true, "with a control character"));
            odd.add(text(query, valid + "\u007f", "%7F", true, "with DEL"));
            odd.add(text(query, valid + "\u0085", "%C2%85", true, "with a C1 control"));
            odd.add(text(query, valid + "\ufffe", "%EF%BF%BE", true, "with a noncharacter"));
            if (!query) {
                odd.add(new Odd("\"" + valid + "\\ud800\"", true, "with a lone surrogate"));
            }
            // text that must be a name, an id or a duration; free text (@NotBlank's "\\S") takes a space
            String pattern = schema.path("pattern").asText("");
            boolean strict = enumerated
                    || format.equals("uuid")
                    || format.equals("duration")
                    || pattern.startsWith("^") && pattern.endsWith("$");
            odd.add(text(query, valid + " ", "%20", strict, "ending in a space"));
            if (schema.has("maxLength")) {
                String over = "a".repeat(schema.path("maxLength").asInt() + 1);
                odd.add(text(query, over, over, true, "one over maxLength"));
            }
            if (enumerated) {
                odd.add(text(
                        query, valid.toLowerCase() + "x", valid.toLowerCase() + "x", true, "not one of its values"));
            }
            if (format.equals("uuid")) {
                odd.add(text(query, "not-a-uuid", "not-a-uuid", true, "not a UUID"));
            }
            if (format.equals("duration")) {
                for (String duration :
                        new String[] {"P106751991167300D", "PT9223372036854775807S", "-PT1S", "P3651D", "10M"}) {
                    odd.add(text(query, duration, duration, true, duration + " (out of range)"));
                }
            }
        } else if (type.equals("integer")) {
            long min = schema.has("minimum") ? schema.path("minimum").asLong() : Long.MIN_VALUE;
            long max = schema.has("maximum") ? schema.path("maximum").asLong() : Long.MAX_VALUE;
            for (long n : new long[] {-1, 0, Integer.MAX_VALUE}) {
                odd.add(new Odd(Long.toString(n), n < min || n > max, Long.toString(n)));
            }
            odd.add(new Odd("9223372036854775808", true, "beyond a long"));
            odd.add(new Odd("1.5", true, "a fraction"));
            if (query) {
                odd.add(new Odd("", false, "empty (as if absent: the default)"));
                odd.add(new Odd("1%00", true, "ending in NUL"));
            }
        } else if (type.equals("array") && !query) {
            odd.add(new Odd("[null]", true, "holding null"));
        }
        return odd;
    }

    private static Odd text(boolean query, String jsonValue, String queryValue, boolean refuse, String what) {
        if (query) {
            return new Odd(
                    queryValue.equals(jsonValue) ? queryValue : validPrefix(jsonValue, queryValue), refuse, what);
        }
        return new Odd(literal(jsonValue), refuse, what);
    }

    /** The query form: the valid text (plain ASCII) with the odd part percent-encoded where it was. */
    private static String validPrefix(String jsonValue, String encodedOdd) {
        StringBuilder encoded = new StringBuilder();
        for (char c : jsonValue.toCharArray()) {
            if (c > 0x20 && c < 0x7f && c != '%' && c != '&' && c != '#' && c != '+') {
                encoded.append(c);
            }
        }
        // the odd characters are at the start or the end of jsonValue
        return jsonValue.charAt(0) < 0x21 || jsonValue.charAt(0) > 0x7e ? encodedOdd + encoded : encoded + encodedOdd;
    }

    private String validText(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.path("enum").get(0).asText();
        }
        if (schema.path("format").asText().equals("uuid")) {
            return UUID.randomUUID().toString();
        }
        if (schema.path("format").asText().equals("duration")) {
            return "PT1M";
        }
        return "x";
    }

    private Map<String, Object> example(JsonNode schema) {
        Map<String, Object> example = new LinkedHashMap<>();
        schema.path("required").forEach(name -> {
            JsonNode property = contract.resolve(schema.path("properties").path(name.asText()));
            example.put(name.asText(), exampleValue(property));
        });
        return example;
    }

    private Object exampleValue(JsonNode schema) {
        return switch (schema.path("type").asText("string")) {
            case "integer", "number" ->
                schema.has("minimum") ? schema.path("minimum").asLong() : 1;
            case "boolean" -> false;
            case "array" -> List.of(exampleValue(contract.resolve(schema.path("items"))));
            case "object" -> example(schema);
            default -> validText(schema);
        };
    }

    private static String with(Map<String, Object> valid, String field, String literal) {
        Map<String, Object> body = new LinkedHashMap<>(valid);
        body.put(field, "@@odd@@");
        return write(body).replace(HOLE, literal);
    }

    /** A JSON string literal, every character outside printable ASCII escaped (so a lone surrogate survives). */
    private static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String abbreviated(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    /** A request of the battery: an operation with its path values, query, headers and body. */
    private record Request(
            ApiContract.Operation operation,
            Map<String, String> path,
            Map<String, String> query,
            Map<String, String> headers,
            String body,
            String contentType) {

        Request withPath(String name, String value) {
            Map<String, String> changed = new LinkedHashMap<>(path);
            changed.put(name, value);
            return new Request(operation, changed, query, headers, body, contentType);
        }

        Request withQuery(String name, String value) {
            Map<String, String> changed = new LinkedHashMap<>(query);
            changed.put(name, value);
            return new Request(operation, path, changed, headers, body, contentType);
        }

        Request withHeader(String name, String value) {
            Map<String, String> changed = new LinkedHashMap<>(headers);
            changed.put(name, value);
            return new Request(operation, path, query, changed, body, contentType);
        }

        Request withBody(String changed) {
            return new Request(operation, path, query, headers, changed, contentType);
        }

        Request withContentType(String changed) {
            return new Request(operation, path, query, headers, body, changed);
        }

        Case asCase(boolean mustRefuse, String what) {
            return new Case(operation.key(), what, mustRefuse, this::send);
        }

        Response send(RequestSpecification request) {
            String uri = operation.path();
            for (Map.Entry<String, String> value : path.entrySet()) {
                uri = uri.replace("{" + value.getKey() + "}", value.getValue());
            }
            StringBuilder target = new StringBuilder(uri);
            char separator = '?';
            for (Map.Entry<String, String> parameter : query.entrySet()) {
                target.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
                separator = '&';
            }
            headers.forEach(request::header);
            if (body != null) {
                request.contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8));
            }
            return request.request(operation.method(), target.toString());
        }
    }
}
