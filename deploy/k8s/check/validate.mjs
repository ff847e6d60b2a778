// Validates what `kubectl kustomize` builds from each overlay (deploy/k8s/check/run writes the
// builds, then calls: node validate.mjs <repository root> <folder of <overlay>.yaml builds>).
//
// 1. Schemas: every document against the schema of its kind. Kubernetes, Istio and Knative kinds
//    with the kubernetes-models packages (generated from the projects' OpenAPI schemas and CRDs;
//    they check types, enums and required fields, not unknown fields). Strimzi and CloudNativePG
//    kinds with the JSON schemas in ./schemas, written from the fields those operators document
//    (no npm package has them), strict about unknown fields where this project sets them.
//    A kind with no schema here fails: nothing is deployed unchecked.
// 2. The deployment rules of docs/deployment.md: probes, resources, rolling updates, security,
//    graceful shutdown consistent with the grace period, an HPA and a PDB per Deployment,
//    Knative scale bounds, scaling within the topics' partitions, circuit breaking per service.
// 3. The local gateway (deploy/local/gateway/haproxy.cfg) routes exactly as the VirtualServices.
//
// Prints one line per failure and ends with "manifests: N passed, M failed".
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const [root, buildDir] = process.argv.slice(2);
if (!root || !buildDir) {
  console.error("usage: node validate.mjs <repository root> <folder with one <overlay>.yaml per overlay>");
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);

let passed = 0;
const failures = [];
function check(condition, what) {
  if (condition) {
    passed++;
  } else {
    failures.push(what);
  }
  return condition;
}

// --- 1. schemas -------------------------------------------------------------------------------

const modelModules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.istio.io/v1": "@kubernetes-models/istio/networking.istio.io/v1",
  "security.istio.io/v1": "@kubernetes-models/istio/security.istio.io/v1",
  "serving.knative.dev/v1": "@kubernetes-models/knative/serving.knative.dev/v1",
};
const ajv = new Ajv({ allErrors: true, strict: false });
const operatorSchemas = {};
for (const file of fs.readdirSync(path.join(here, "schemas"))) {
  const schema = JSON.parse(fs.readFileSync(path.join(here, "schemas", file), "utf8"));
  const apiVersion = schema.properties.apiVersion.const;
  const kind = schema.properties.kind.const;
  operatorSchemas[`${apiVersion} ${kind}`] = ajv.compile(schema);
}

// Knative lets a probe leave out its port (it probes the container's port); the Kubernetes Probe
// schema the Knative models reuse requires one. Validate as Knative reads it.
function asKnativeReadsIt(doc) {
  const copy = structuredClone(doc);
  for (const container of copy.spec?.template?.spec?.containers ?? []) {
    const port = container.ports?.[0]?.containerPort;
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      if (probe?.httpGet && probe.httpGet.port === undefined && port !== undefined) {
        probe.httpGet.port = port;
      }
    }
  }
  return copy;
}

async function validateSchema(doc, where) {
  const key = `${doc.apiVersion} ${doc.kind}`;
  if (operatorSchemas[key]) {
    const validate = operatorSchemas[key];
    return check(validate(doc), `${where}: ${ajv.errorsText(validate.errors, { separator: "; " })}`);
  }
  const module = modelModules[doc.apiVersion];
  const model = module && (await import(module))[doc.kind];
  if (!check(model !== undefined, `${where}: no schema for ${key} (add one before deploying this kind)`)) {
    return false;
  }
  try {
    new model(doc.apiVersion === "serving.knative.dev/v1" ? asKnativeReadsIt(doc) : doc).validate();
    return check(true, where);
  } catch (error) {
    return check(false, `${where}: ${error.message}`);
  }
}

// --- 2. deployment rules ----------------------------------------------------------------------

function durationSeconds(text) {
  const match = /^(\d+)(ms|s|m)?$/.exec(String(text).trim());
  if (!match) {
    return NaN;
  }
  const value = Number(match[1]);
  return match[2] === "ms" ? value / 1000 : match[2] === "m" ? value * 60 : value;
}

// A service's configuration as it is packaged: the defaults all services share
// (libs/service-defaults, ordinal 100), then the service's own application.properties (250),
// whose keys win. Profile keys (%test...) are left out: the manifests describe the prod profile.
const sharedDefaults = "libs/service-defaults/src/main/resources/META-INF/microprofile-config.properties";

function serviceProperties(service) {
  const properties = {};
  for (const file of [path.join(root, sharedDefaults), path.join(root, service, "src/main/resources/application.properties")]) {
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const match = /^([^#%\s][^=]*)=(.*)$/.exec(line.trim());
        if (match) {
          properties[match[1].trim()] = match[2].trim();
        }
      }
    }
  }
  return properties;
}

function selects(selector, labels) {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

function checkDeployment(doc, all, overlay, maxPartitions) {
  const name = doc.metadata.name;
  const where = `${overlay}: Deployment ${name}`;
  const pod = doc.spec.template;
  const container = pod.spec.containers[0];
  const probe = (kind, pathName) => check(container[kind]?.httpGet?.path === pathName,
    `${where}: ${kind} must call ${pathName}`);
  probe("startupProbe", "/q/health/started");
  probe("readinessProbe", "/q/health/ready");
  probe("livenessProbe", "/q/health/live");
  for (const part of ["requests", "limits"]) {
    for (const resource of ["cpu", "memory"]) {
      check(container.resources?.[part]?.[resource] !== undefined, `${where}: resources.${part}.${resource} missing`);
    }
  }
  check(doc.spec.strategy?.type === "RollingUpdate" && String(doc.spec.strategy.rollingUpdate?.maxUnavailable) === "0",
    `${where}: a RollingUpdate with maxUnavailable 0`);
  check(doc.spec.replicas === undefined, `${where}: spec.replicas must be left to the HPA`);
  check(pod.spec.securityContext?.runAsNonRoot === true, `${where}: runAsNonRoot`);
  const security = container.securityContext ?? {};
  check(security.readOnlyRootFilesystem === true, `${where}: readOnlyRootFilesystem`);
  check(security.allowPrivilegeEscalation === false, `${where}: allowPrivilegeEscalation false`);
  check((security.capabilities?.drop ?? []).includes("ALL"), `${where}: capabilities drop ALL`);
  const tmp = (container.volumeMounts ?? []).find((mount) => mount.mountPath === "/tmp");
  check(tmp && (pod.spec.volumes ?? []).some((volume) => volume.name === tmp.name && volume.emptyDir),
    `${where}: /tmp must be an emptyDir (read-only root filesystem)`);

  const properties = serviceProperties(name);
  const delay = durationSeconds(properties["quarkus.shutdown.delay"] ?? "0s");
  const timeout = durationSeconds(properties["quarkus.shutdown.timeout"] ?? "0s");
  check(properties["quarkus.shutdown.delay-enabled"] === "true" && delay > 0,
    `${where}: quarkus.shutdown.delay-enabled=true and a quarkus.shutdown.delay (readiness DOWN before the server stops)`);
  check(timeout > 0, `${where}: quarkus.shutdown.timeout (in-flight requests finish)`);
  check(pod.spec.terminationGracePeriodSeconds >= delay + timeout,
    `${where}: terminationGracePeriodSeconds ${pod.spec.terminationGracePeriodSeconds} < shutdown delay ${delay} s + timeout ${timeout} s`);

  const hpa = all.find((other) => other.kind === "HorizontalPodAutoscaler"
    && other.spec.scaleTargetRef?.kind === "Deployment" && other.spec.scaleTargetRef?.name === name);
  if (check(hpa !== undefined, `${where}: no HorizontalPodAutoscaler targets it`)) {
    check(hpa.spec.minReplicas >= 1 && hpa.spec.maxReplicas >= hpa.spec.minReplicas, `${where}: HPA bounds`);
    check(hpa.spec.maxReplicas <= maxPartitions,
      `${where}: HPA maxReplicas ${hpa.spec.maxReplicas} > ${maxPartitions} partitions (consumers beyond them sit idle)`);
    check((hpa.spec.metrics ?? []).some((metric) => metric.resource?.name === "cpu"), `${where}: HPA on CPU`);
  }
  check(all.some((other) => other.kind === "PodDisruptionBudget" && selects(other.spec.selector?.matchLabels, pod.metadata.labels)),
    `${where}: no PodDisruptionBudget selects its pods`);
  check(all.some((other) => other.kind === "Service" && other.apiVersion === "v1" && selects(other.spec.selector, pod.metadata.labels)),
    `${where}: no Service selects its pods`);
  checkConfigReferences(container, all, where);
}

function checkConfigReferences(container, all, where) {
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      check(all.some((other) => other.kind === "ConfigMap" && other.metadata.name === source.configMapRef.name),
        `${where}: ConfigMap ${source.configMapRef.name} is not in the overlay`);
    }
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef?.name;
    if (secret) {
      // Secrets are created by the operator, never committed (README "Operations")
      check(/^[a-z-]+-db$/.test(secret), `${where}: Secret ${secret} is not one README "Operations" creates (<service>-db)`);
    }
  }
}

function checkKnativeService(doc, all, overlay, maxPartitions) {
  const where = `${overlay}: Knative Service ${doc.metadata.name}`;
  const annotations = doc.spec.template.metadata?.annotations ?? {};
  const minScale = Number(annotations["autoscaling.knative.dev/min-scale"]);
  const maxScale = Number(annotations["autoscaling.knative.dev/max-scale"]);
  check(minScale >= 1, `${where}: min-scale >= 1 (it consumes Kafka: never scale to zero)`);
  check(maxScale >= minScale && maxScale <= maxPartitions, `${where}: max-scale between min-scale and ${maxPartitions} partitions`);
  check(annotations["autoscaling.knative.dev/metric"] && annotations["autoscaling.knative.dev/target"],
    `${where}: autoscaling metric and target (concurrency per pod)`);
  const container = doc.spec.template.spec.containers[0];
  check(container.readinessProbe?.httpGet?.path === "/q/health/ready", `${where}: readiness probe`);
  check(container.livenessProbe?.httpGet?.path === "/q/health/live", `${where}: liveness probe`);
  check(container.resources?.requests?.memory && container.resources?.limits?.memory, `${where}: resources`);
  check(container.securityContext?.readOnlyRootFilesystem === true && container.securityContext?.runAsNonRoot === true,
    `${where}: non-root, read-only root filesystem`);
  check(/-native$/.test(container.image.split(":").pop()), `${where}: runs the native image (tag ...-native)`);
  checkConfigReferences(container, all, where);
}

function checkMesh(all, overlay) {
  const services = ["call-service", "payment-service", "engineer-service", "call-view-service"];
  for (const service of services) {
    const rule = all.find((doc) => doc.kind === "DestinationRule" && doc.spec.host === service);
    check(rule?.spec.trafficPolicy?.outlierDetection !== undefined,
      `${overlay}: DestinationRule with outlier detection for ${service}`);
  }
  for (const vs of all.filter((doc) => doc.kind === "VirtualService")) {
    for (const route of vs.spec.http ?? []) {
      for (const destination of route.route ?? []) {
        check(services.includes(destination.destination.host) || destination.destination.host.startsWith("knative-local-gateway."),
          `${overlay}: VirtualService ${vs.metadata.name} routes to unknown host ${destination.destination.host}`);
      }
    }
  }
}

// --- 3. the local gateway routes as the mesh -----------------------------------------------------

// "/calls -> call-service", from the VirtualService's exact + prefix matches
function virtualServiceRoutes(vs, hostOf) {
  const routes = new Set();
  for (const route of vs.spec.http ?? []) {
    // A stream route narrows a path the next routes already send to the same service (it only
    // lifts the timeout): it adds no route of its own.
    if (route.match?.every((match) => match.uri?.regex?.endsWith("/stream$"))) {
      continue;
    }
    const exact = route.match?.find((match) => match.uri?.exact)?.uri.exact;
    const prefix = route.match?.find((match) => match.uri?.prefix)?.uri.prefix;
    check(exact && prefix === `${exact}/`, `VirtualService route ${route.name}: matches ${exact} exactly and ${exact}/ as prefix`);
    routes.add(`${exact} -> ${hostOf(route)}`);
  }
  return routes;
}

function haproxyRoutes(file) {
  const text = fs.readFileSync(file, "utf8");
  const acls = {};
  for (const match of text.matchAll(/^\s*acl\s+(\S+)\s+path\s+(\S+)\s+\|\|\s+path_beg\s+(\S+)\s*$/gm)) {
    check(match[3] === `${match[2]}/`, `haproxy.cfg acl ${match[1]}: path ${match[2]} or path_beg ${match[2]}/`);
    acls[match[1]] = match[2];
  }
  const routes = new Set();
  for (const match of text.matchAll(/^\s*use_backend\s+(\S+)\s+if\s+(\S+)\s*$/gm)) {
    routes.add(`${acls[match[2]]} -> ${match[1]}`);
  }
  return routes;
}

function sameRoutes(expected, actual, what) {
  const missing = [...expected].filter((route) => !actual.has(route));
  const extra = [...actual].filter((route) => !expected.has(route));
  check(missing.length === 0 && extra.length === 0,
    `${what}: routes differ (missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)})`);
}

// --- run --------------------------------------------------------------------------------------

const builds = fs.readdirSync(buildDir).filter((file) => file.endsWith(".yaml")).sort();
check(builds.length > 0, `no overlay builds in ${buildDir}`);
let meshRoutes;
for (const build of builds) {
  const overlay = path.basename(build, ".yaml");
  const documents = parseAllDocuments(fs.readFileSync(path.join(buildDir, build), "utf8"));
  const all = [];
  for (const document of documents) {
    check(document.errors.length === 0, `${overlay}: YAML error ${document.errors.map(String).join("; ")}`);
    const doc = document.toJS();
    if (doc) {
      all.push(doc);
    }
  }
  for (const doc of all) {
    await validateSchema(doc, `${overlay}: ${doc.kind} ${doc.metadata?.name}`);
  }
  const eventTopics = all.filter((doc) => doc.kind === "KafkaTopic" && !doc.spec.topicName.endsWith(".dlq"));
  check(eventTopics.length === 3, `${overlay}: the three event topics`);
  const maxPartitions = Math.min(...eventTopics.map((topic) => topic.spec.partitions));
  check(all.filter((doc) => doc.kind === "KafkaTopic").length === 7, `${overlay}: seven topics (3 event topics, 4 dead-letter topics)`);
  check(all.some((doc) => doc.kind === "KafkaNodePool" && doc.spec.roles.includes("controller")), `${overlay}: a KRaft controller node pool`);
  check(all.some((doc) => doc.kind === "Cluster" && doc.spec.storage?.size), `${overlay}: PostgreSQL on persistent storage`);

  const deployments = all.filter((doc) => doc.kind === "Deployment");
  const knativeServices = all.filter((doc) => doc.kind === "Service" && doc.apiVersion === "serving.knative.dev/v1");
  check(deployments.length + knativeServices.length >= 2, `${overlay}: the services' manifests are in it`);
  for (const deployment of deployments) {
    checkDeployment(deployment, all, overlay, maxPartitions);
  }
  for (const service of knativeServices) {
    checkKnativeService(service, all, overlay, maxPartitions);
  }
  checkMesh(all, overlay);

  const vs = all.find((doc) => doc.kind === "VirtualService" && doc.metadata.name === "ascall-api");
  if (check(vs !== undefined, `${overlay}: VirtualService ascall-api`)) {
    const routes = virtualServiceRoutes(vs, (route) => route.rewrite?.authority?.split(".")[0] ?? route.route[0].destination.host);
    if (meshRoutes === undefined) {
      meshRoutes = routes;
    } else {
      sameRoutes(meshRoutes, routes, `${overlay}: VirtualService ascall-api vs the first overlay's`);
    }
  }
}
if (meshRoutes) {
  sameRoutes(meshRoutes, haproxyRoutes(path.join(root, "deploy/local/gateway/haproxy.cfg")),
    "deploy/local/gateway/haproxy.cfg vs the VirtualService");
}

for (const failure of failures) {
  console.log(`FAILED ${failure}`);
}
console.log(`manifests: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
