package io.ascall.apitesting;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * A service's OpenAPI document, as the running service serves it ({@code /q/openapi}), held against
 * what the service really answers. As a RestAssured filter, every answer that passes through it is
 * validated against the document (status documented, content type, headers, body schema, nullable
 * and required members) by Atlassian's swagger-request-validator; what was asked is not (tests send
 * invalid requests on purpose). It also records which documented operations were exercised, so a
 * contract test can prove it covered all of them.
 */
public final class ApiContract implements Filter {

    /** One operation of the document: its method, its path template and that template as a regex. */
    public record Operation(String method, String path, Pattern pattern, int parameters) {
        public String key() {
            return method + " " + path;
        }
    }

    private final OpenApiInteractionValidator validator;
    private final JsonNode document;
    private final List<Operation> operations;
    private final Set<String> exercised = new ConcurrentSkipListSet<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    private ApiContract(String json) {
        try {
            this.document = new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("The service's OpenAPI document is not JSON", e);
        }
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(json)
                .build();
        List<Operation> found = new ArrayList<>();
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                    if (!method.equals("parameters")) {
                        found.add(operation(method.toUpperCase(), path.getKey()));
                    }
                }));
        // a literal segment wins over a parameter: /payments/voids before /payments/{id}
        found.sort(Comparator.comparingInt(Operation::parameters));
        this.operations = List.copyOf(found);
    }

    /** The document of the service RestAssured points at (a {@code @QuarkusTest}'s own). */
    public static ApiContract ofRunningService() {
        String json = RestAssured.given()
                .accept("application/json")
                .when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return new ApiContract(json);
    }

    public JsonNode document() {
        return document;
    }

    public List<Operation> operations() {
        return operations;
    }

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
        Response answer = context.next(request, response);
        String path = URI.create(request.getURI()).getRawPath();
        String method = request.getMethod().toUpperCase();
        Operation operation = match(method, path);
        if (operation == null) {
            return answer;
        }
        exercised.add(operation.key());
        SimpleResponse.Builder built = SimpleResponse.Builder.status(answer.statusCode());
        for (Header header : answer.getHeaders()) {
            built.withHeader(header.getName(), header.getValue());
        }
        String body = answer.asString();
        if (body != null && !body.isEmpty()) {
            built.withBody(body);
        }
        ValidationReport report =
                validator.validateResponse(operation.path(), Request.Method.valueOf(method), built.build());
        if (report.hasErrors()) {
            violations.add(method + " " + request.getURI() + " answered " + answer.statusCode() + " "
                    + abbreviated(body) + ":\n    " + String.join("\n    ", messages(report)));
        }
        return answer;
    }

    /** Marks an operation exercised by a client other than RestAssured (a Server-Sent Events reader). */
    public void exercised(String method, String pathTemplate) {
        exercised.add(method + " " + pathTemplate);
    }

    /** Fails with every answer that did not conform to the document. */
    public void assertConforms() {
        if (!violations.isEmpty()) {
            fail(violations.size() + " answers differ from the OpenAPI document:\n" + String.join("\n", violations));
        }
    }

    /** Fails naming every documented operation no request went to. */
    public void assertEveryOperationExercised() {
        Set<String> missing = new TreeSet<>();
        operations.forEach(operation -> missing.add(operation.key()));
        missing.removeAll(exercised);
        if (!missing.isEmpty()) {
            fail("Documented operations never exercised: " + missing);
        }
    }

    public Set<String> exercised() {
        return Set.copyOf(exercised);
    }

    private Operation match(String method, String path) {
        for (Operation operation : operations) {
            if (operation.method().equals(method)
                    && operation.pattern().matcher(path).matches()) {
                return operation;
            }
        }
        return null;
    }

    private static Operation operation(String method, String template) {
        StringBuilder regex = new StringBuilder("^");
        int parameters = 0;
        for (String segment : template.split("/", -1)) {
            if (regex.length() > 1) {
                regex.append('/');
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                regex.append("[^/]+");
                parameters++;
            } else {
                regex.append(Pattern.quote(segment));
            }
        }
        return new Operation(method, template, Pattern.compile(regex.append('$').toString()), parameters);
    }

    private static List<String> messages(ValidationReport report) {
        List<String> messages = new ArrayList<>();
        report.getMessages().forEach(message -> messages.add(message.getKey() + ": " + message.getMessage()));
        return messages;
    }

    private static String abbreviated(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    /** For a battery: the schema of a request body, resolved from {@code #/components/schemas}. */
    public JsonNode resolve(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref == null) {
            return schema;
        }
        String name = ref.asText().substring("#/components/schemas/".length());
        return document.path("components").path("schemas").path(name);
    }
}
