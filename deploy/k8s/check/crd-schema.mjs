// Turns one version of an operator's CustomResourceDefinition into the JSON schema validate.mjs
// checks that kind with (deploy/k8s/check/schemas/<file>.json):
//
//   node target/k8s-check/crd-schema.mjs <CRD file> <kind> <version> "<where the CRD came from>" \
//     > deploy/k8s/check/schemas/<file>.json
//
// (run it from target/k8s-check, where deploy/k8s/check/install-tools puts it beside the yaml
// package; the CRD file may hold many CRDs, as Istio's crd-all.gen.yaml does).
//
// The schema is the CRD's own openAPIV3Schema, made as strict as the API server is: kubectl
// (1.27 and newer) applies with strict field validation, which refuses a field the schema does
// not know, so every object with properties and no additionalProperties or
// x-kubernetes-preserve-unknown-fields gets "additionalProperties: false" (a typo fails here as it
// would on the cluster). Left out, and said so in the schema's description: the CEL rules
// (x-kubernetes-validations, only the API server evaluates them), string formats (Ajv knows
// Kubernetes' int32, int64, byte... by other names) and descriptions (size). apiVersion and kind
// are pinned to the kind's, and metadata must name the resource.
import fs from "node:fs";
import { parseAllDocuments } from "yaml";

const [file, kind, version, source] = process.argv.slice(2);
if (!file || !kind || !version || !source) {
  console.error('usage: node crd-schema.mjs <CRD file> <kind> <version> "<where the CRD came from>"');
  process.exit(2);
}

const crd = parseAllDocuments(fs.readFileSync(file, "utf8"))
  .map((document) => document.toJS())
  .find((doc) => doc?.kind === "CustomResourceDefinition" && doc.spec.names.kind === kind);
if (!crd) {
  console.error(`${file}: no CustomResourceDefinition of kind ${kind}`);
  process.exit(1);
}
const served = crd.spec.versions.find((candidate) => candidate.name === version);
if (!served?.schema?.openAPIV3Schema) {
  console.error(`${file}: ${kind} has no schema for version ${version}`);
  process.exit(1);
}

function strict(node) {
  if (Array.isArray(node)) {
    return node.map(strict);
  }
  if (node === null || typeof node !== "object") {
    return node;
  }
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "description" || key === "format" || key === "x-kubernetes-validations") {
      continue;
    }
    if (key === "properties" || key === "patternProperties" || key === "definitions") {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, strict(schema)]));
    } else {
      copy[key] = strict(value);
    }
  }
  if (copy.properties && copy.additionalProperties === undefined && !copy["x-kubernetes-preserve-unknown-fields"]) {
    copy.additionalProperties = false;
  }
  return copy;
}

const root = strict(served.schema.openAPIV3Schema);
// the status is the operator's to write, never a manifest's
delete root.properties.status;
root.properties.apiVersion = { const: `${crd.spec.group}/${version}` };
root.properties.kind = { const: kind };
root.properties.metadata = {
  type: "object",
  properties: {
    name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
    namespace: { type: "string" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
  },
  required: ["name"],
  additionalProperties: false,
};
root.required = [...new Set(["apiVersion", "kind", "metadata", "spec", ...(root.required ?? [])])];

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: `${crd.spec.group}/${version} ${kind}`,
  description: `Derived by deploy/k8s/check/crd-schema.mjs from the official CustomResourceDefinition ` +
    `${crd.metadata.name} (${source}), version ${version}: the whole schema, unknown fields refused as ` +
    `kubectl's strict field validation refuses them. Not checked here: the CRD's CEL rules ` +
    `(x-kubernetes-validations) and string formats. To refresh it, run the script on a newer CRD.`,
  ...root,
};
process.stdout.write(JSON.stringify(schema, null, 1) + "\n");
