package io.ascall.problem;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What every service's OpenAPI document says the same way, written once (at build time, so the
 * stored document in {@code target/openapi} and the served one agree):
 *
 * <ul>
 *   <li>the {@code Problem} schema (RFC 9457, as {@link Problem} writes it) and, on every operation,
 *       the errors this library answers for it: 400 (odd text, a malformed URI, validation), 414
 *       and 431 ({@link TransportGuard}), 503 (the database is unreachable, {@link
 *       DatabaseOutage}), 404 where a path names a resource, 413 and 415 where a body is read;
 *   <li>an error a resource declares with only a code and a description (its 409, its 422) gets
 *       the problem as content;
 *   <li>{@code page} and {@code size} as {@link QueryParams} reads them (integers in range), and
 *       every query parameter and header as optional: in these APIs they are all filters, paging
 *       or keys (the Kotlin service's nullable parameters were documented as required);
 *   <li>every tag an operation uses is defined.
 * </ul>
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiDocumentation implements OASFilter {

    static final String PROBLEM = "Problem";
    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;
    /** What SmallRye writes for the responses it adds by itself: the generic text here says more. */
    private static final Set<String> GENERATED_DESCRIPTIONS = Set.of("Bad Request", "Not Authorized", "Not Allowed");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        inlineNullableReferences(components);
        components.addSchema("FieldError", fieldError());
        components.addSchema(PROBLEM, problem());
        Set<String> tags = new TreeSet<>();
        if (openAPI.getPaths() != null) {
            for (PathItem item : openAPI.getPaths().getPathItems().values()) {
                for (Operation operation : item.getOperations().values()) {
                    document(operation, item);
                    if (operation.getTags() != null) {
                        tags.addAll(operation.getTags());
                    }
                }
            }
        }
        pruneUnused(openAPI);
        List<String> defined = new ArrayList<>();
        if (openAPI.getTags() != null) {
            openAPI.getTags().forEach(tag -> defined.add(tag.getName()));
        }
        for (String tag : tags) {
            if (!defined.contains(tag)) {
                openAPI.addTag(OASFactory.createTag().name(tag));
            }
        }
    }

    /**
     * A nullable member whose type is another schema ({@code anyOf: [$ref, null]}, written in OpenAPI
     * 3.0 as {@code allOf: [$ref]} with {@code nullable}) is written out in place: in 3.0 a null
     * still fails the referenced schema, so the member did not, in fact, allow null (validators
     * refused the services' nulls). An enumeration lists null too, as OpenAPI 3.0.3 requires.
     */
    private static void inlineNullableReferences(Components components) {
        if (components.getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = components.getSchemas();
        for (Schema schema : schemas.values()) {
            if (schema.getProperties() == null) {
                continue;
            }
            for (Map.Entry<String, Schema> property : new LinkedHashMap<>(schema.getProperties()).entrySet()) {
                Schema member = property.getValue();
                List<Schema> parts = new ArrayList<>();
                if (member.getAnyOf() != null) {
                    parts.addAll(member.getAnyOf());
                }
                if (member.getAllOf() != null) {
                    parts.addAll(member.getAllOf());
                }
                boolean nullable = member.getType() != null && member.getType().contains(Schema.SchemaType.NULL)
                        || parts.stream()
                                .anyMatch(
                                        part -> List.of(Schema.SchemaType.NULL).equals(part.getType()));
                String ref = parts.stream()
                        .map(Schema::getRef)
                        .filter(java.util.Objects::nonNull)
                        .findFirst()
                        .orElse(null);
                Schema target = ref == null ? null : schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
                if (!nullable || target == null || target.getType() == null) {
                    continue;
                }
                List<Schema.SchemaType> types = new ArrayList<>(target.getType());
                types.add(Schema.SchemaType.NULL);
                List<Object> values = null;
                if (target.getEnumeration() != null) {
                    values = new ArrayList<>(target.getEnumeration());
                    values.add(null);
                }
                schema.addProperty(
                        property.getKey(),
                        OASFactory.createSchema()
                                .type(types)
                                .format(target.getFormat())
                                .pattern(target.getPattern())
                                .enumeration(values)
                                .description(
                                        member.getDescription() != null
                                                ? member.getDescription()
                                                : target.getDescription()));
            }
        }
    }

    /** Schemas no operation reaches any more (inlined above) are dropped: a document lists what it uses. */
    private static void pruneUnused(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        if (schemas == null || openAPI.getPaths() == null) {
            return;
        }
        Set<String> used = new TreeSet<>();
        List<Schema> pending = new ArrayList<>();
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            if (item.getParameters() != null) {
                item.getParameters().forEach(parameter -> pending.add(parameter.getSchema()));
            }
            for (Operation operation : item.getOperations().values()) {
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(parameter -> pending.add(parameter.getSchema()));
                }
                if (operation.getRequestBody() != null) {
                    pending.addAll(schemasOf(operation.getRequestBody().getContent()));
                }
                if (operation.getResponses() != null) {
                    operation.getResponses().getAPIResponses().values().forEach(response -> {
                        pending.addAll(schemasOf(response.getContent()));
                        if (response.getHeaders() != null) {
                            response.getHeaders().values().forEach(header -> pending.add(header.getSchema()));
                        }
                    });
                }
            }
        }
        while (!pending.isEmpty()) {
            Schema schema = pending.remove(pending.size() - 1);
            if (schema == null) {
                continue;
            }
            if (schema.getRef() != null) {
                String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
                if (used.add(name) && schemas.get(name) != null) {
                    pending.add(schemas.get(name));
                }
            }
            if (schema.getProperties() != null) {
                pending.addAll(schema.getProperties().values());
            }
            pending.add(schema.getItems());
            pending.add(schema.getAdditionalPropertiesSchema());
            for (List<Schema> group :
                    java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
                if (group != null) {
                    pending.addAll(group);
                }
            }
        }
        for (String name : new ArrayList<>(schemas.keySet())) {
            if (!used.contains(name)) {
                openAPI.getComponents().removeSchema(name);
            }
        }
    }

    private static List<Schema> schemasOf(Content content) {
        List<Schema> found = new ArrayList<>();
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().forEach(type -> found.add(type.getSchema()));
        }
        return found;
    }

    private static void document(Operation operation, PathItem item) {
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        boolean namesResource = false;
        for (Parameter parameter : parameters) {
            switch (parameter.getIn()) {
                case PATH -> namesResource = true;
                case QUERY, HEADER -> {
                    parameter.setRequired(null);
                    if (parameter.getIn() == Parameter.In.QUERY) {
                        paging(parameter);
                    }
                }
                default -> {}
            }
        }
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put(
                "400",
                "Malformed or invalid input: a parameter or field out of its range, text holding a NUL,"
                        + " a control character or a lone surrogate, a JSON field given twice, a malformed"
                        + " URI (`validation`, `malformed-request`, `malformed-uri`)");
        if (namesResource) {
            errors.put("404", "No such resource (`not-found`)");
        }
        if (operation.getRequestBody() != null) {
            errors.put("413", "The body is over 64 KiB (`content-too-large`)");
            errors.put(
                    "415",
                    "The body is not `application/json` in UTF-8, or has no Content-Type (`unsupported-media-type`)");
        }
        boolean secured =
                operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured) {
            errors.put(
                    "401",
                    "No bearer token, or one that is not valid: expired, not signed by the identity provider,"
                            + " or not for this service (`unauthorized`, with a WWW-Authenticate challenge)");
            errors.put("403", "The token's holder may not do this: their role does not allow it (`forbidden`)");
        }
        errors.put("414", "The request line is over 4096 bytes (`uri-too-long`)");
        errors.put("431", "The header fields are over 20 KiB (`headers-too-large`)");
        errors.put(
                "503",
                secured
                        ? "The service cannot reach its database (`service-unavailable`) or, before it has learnt"
                                + " the identity provider's keys, the provider (`identity-provider-unavailable`);"
                                + " try again after Retry-After"
                        : "The service cannot reach its database (`service-unavailable`); try again after Retry-After");
        errors.forEach((code, description) -> {
            APIResponse declared = responses.getAPIResponse(code);
            if (declared == null || declared.getContent() == null) {
                // a declared description (the resource's own words) wins over the generic one
                String text = declared != null
                                && declared.getDescription() != null
                                && !GENERATED_DESCRIPTIONS.contains(declared.getDescription())
                        ? declared.getDescription()
                        : description;
                responses.addAPIResponse(code, problemResponse(text));
            }
        });
        responses.setAPIResponses(new java.util.TreeMap<>(responses.getAPIResponses())); // by code
        for (Map.Entry<String, APIResponse> entry : new LinkedHashMap<>(responses.getAPIResponses()).entrySet()) {
            if (entry.getKey().startsWith("4") || entry.getKey().startsWith("5")) {
                APIResponse response = entry.getValue();
                if (response.getContent() == null) {
                    response.setContent(problemContent());
                }
                if (entry.getKey().equals("503") && response.getHeaders() == null) {
                    response.addHeader("Retry-After", retryAfter());
                }
                if (entry.getKey().equals("401") && response.getHeaders() == null) {
                    response.addHeader(
                            "WWW-Authenticate",
                            OASFactory.createHeader()
                                    .description("The Bearer challenge of RFC 6750: realm=\"ascall\", and"
                                            + " error=\"invalid_token\" when a token was sent")
                                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
                }
            }
        }
    }

    /** page and size as {@link QueryParams} reads them: the documents said only "digits". */
    private static void paging(Parameter parameter) {
        switch (parameter.getName()) {
            case "page" ->
                parameter.setSchema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.INTEGER)
                        .format("int32")
                        .minimum(BigDecimal.ZERO)
                        .maximum(BigDecimal.valueOf(QueryParams.MAX_PAGE))
                        .defaultValue(0));
            case "size" ->
                parameter.setSchema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.INTEGER)
                        .format("int32")
                        .minimum(BigDecimal.ONE)
                        .maximum(BigDecimal.valueOf(QueryParams.MAX_SIZE))
                        .defaultValue(QueryParams.DEFAULT_SIZE));
            default -> {}
        }
    }

    private static APIResponse problemResponse(String description) {
        return OASFactory.createAPIResponse().description(description).content(problemContent());
    }

    private static Content problemContent() {
        return OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    private static Header retryAfter() {
        return OASFactory.createHeader()
                .description("Seconds to wait before trying again")
                .schema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.INTEGER)
                        .minimum(BigDecimal.ONE));
    }

    private static Schema problem() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("An error, as RFC 9457 problem details. Members beyond these say more of a"
                        + " given type (`callStatus` of a `conflict`, say).")
                .required(List.of("type", "title", "status"))
                .addProperty(
                        "type",
                        string("What kind of error: `urn:ascall:problem:<slug>`; clients decide on it")
                                .format("uri"))
                .addProperty("title", string("The kind in words; the same for every problem of a type"))
                .addProperty(
                        "status",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.INTEGER)
                                .minimum(BigDecimal.valueOf(400))
                                .maximum(BigDecimal.valueOf(599))
                                .description("The HTTP status, repeated"))
                .addProperty("detail", string("This occurrence in words"))
                .addProperty("instance", string("The path of the request").format("uri-reference"))
                .addProperty(
                        "errors",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.ARRAY)
                                .description("Of `validation`: each field or parameter refused")
                                .items(OASFactory.createSchema().ref("#/components/schemas/FieldError")))
                .additionalPropertiesBoolean(Boolean.TRUE);
    }

    private static Schema fieldError() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .required(List.of("field", "message"))
                .addProperty("field", string("The field (`parts[0].name`) or parameter refused"))
                .addProperty("message", string("Why"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
