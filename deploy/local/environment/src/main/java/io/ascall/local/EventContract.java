package io.ascall.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The event catalogue of docs/asyncapi.yaml, for tests: checks that an event a service produced
 * matches the JSON schema of its type there (formats such as uuid and date-time included).
 */
public final class EventContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile EventContract instance;

    private final JsonNode components;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private EventContract(Path asyncApi) {
        try {
            this.components = new ObjectMapper(new YAMLFactory())
                    .readTree(asyncApi.toFile())
                    .get("components");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + asyncApi, e);
        }
    }

    /** The project's docs/asyncapi.yaml. */
    public static EventContract load() {
        if (instance == null) {
            instance = new EventContract(ProjectPaths.locate().root().resolve("docs/asyncapi.yaml"));
        }
        return instance;
    }

    /** @return what is wrong with the event (empty when it matches its type's schema) */
    public List<String> violations(String eventJson) {
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        JsonNode type = event.get("type");
        if (type == null || !type.isTextual()) {
            return List.of("no type");
        }
        if (!components.path("schemas").has(type.asText())) {
            return List.of("type " + type.asText() + " is not in docs/asyncapi.yaml");
        }
        return schemaOf(type.asText()).validate(event).stream()
                .map(ValidationMessage::getMessage)
                .toList();
    }

    private JsonSchema schemaOf(String type) {
        return schemas.computeIfAbsent(type, name -> {
            ObjectNode root = JSON.createObjectNode();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", "#/components/schemas/" + name);
            root.set("components", components);
            return factory.getSchema(root, config);
        });
    }
}
