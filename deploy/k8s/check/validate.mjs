// Validates what `kubectl kustomize` builds from each overlay (deploy/k8s/check/run writes the
// builds, then calls: node validate.mjs <repository root> <folder of <overlay>.yaml builds>).
//
// 1. Schemas: every document against the schema of its kind. Kubernetes, Istio and Knative kinds
//    with the kubernetes-models packages (generated from the projects' OpenAPI schemas and CRDs;
//    they check types, enums and required fields, not unknown fields). Strimzi and CloudNativePG
//    kinds with the JSON schemas in ./schemas, written from the fields those operators document
//    (no npm package has them), strict about unknown fields where this project sets them; Keycloak
//    kinds and Istio's RequestAuthentication and AuthorizationPolicy with schemas derived from the
//    official CRDs by crd-schema.mjs (strict like kubectl's field validation; they take precedence
//    over the Istio models, which accept unknown fields).
//    A kind with no schema here fails: nothing is deployed unchecked.
// 2. The deployment rules of docs/deployment.md: probes, resources, rolling updates, security,
//    graceful shutdown consistent with the grace period, an HPA and a PDB per Deployment,
//    Knative scale bounds, scaling within the topics' partitions, circuit breaking per service.
// 3. Identity and access (docs/deployment.md, "Identity and access"): each service's own service
//    account, the RequestAuthentication and AuthorizationPolicies of the second wall (every public
//    route needs a token for its service, payment-service takes writes from call-service alone and
//    only reads, GET, from the public gateway, which routes no other method to it), the issuer the
//    same everywhere it is named, and, when the overlay runs Keycloak, the realm it imports (no
//    user, no secret, the clients and scopes the services need).
// 4. The local gateway (deploy/local/gateway/haproxy.cfg): its frontend api answers every request
//    the VirtualServices route (and some they do not) as they do, read by a small interpreter of
//    the HAProxy statements it uses; its frontend mesh sends every /payments request to
//    payment-service, as the Service does for call-service.
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
  checkServiceAccount(pod.spec, name, all, where);
  checkConfigReferences(container, all, where, name);
}

// The pods' identity in the mesh: the service's own service account (the AuthorizationPolicies
// name it), present in the overlay and mounting no API token.
function checkServiceAccount(podSpec, name, all, where) {
  check(podSpec.serviceAccountName === name, `${where}: runs as service account ${podSpec.serviceAccountName ?? "default"}, not ${name}`);
  const account = all.find((doc) => doc.kind === "ServiceAccount" && doc.metadata.name === name);
  check(account !== undefined && account.automountServiceAccountToken === false,
    `${where}: ServiceAccount ${name} in the overlay, with automountServiceAccountToken: false`);
}

// The Secrets docs/deployment.md ("Secrets") has the cluster's operator create, never committed:
// each service's <service>-db, and call-service's client secret.
const documentedSecrets = { "call-service": ["call-service-oidc"] };

function checkConfigReferences(container, all, where, service) {
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      check(all.some((other) => other.kind === "ConfigMap" && other.metadata.name === source.configMapRef.name),
        `${where}: ConfigMap ${source.configMapRef.name} is not in the overlay`);
    }
  }
  const allowed = [`${service}-db`, ...(documentedSecrets[service] ?? [])];
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef?.name;
    if (secret) {
      check(allowed.includes(secret), `${where}: Secret ${secret} is not one docs/deployment.md ("Secrets") creates (${allowed.join(", ")})`);
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
  checkServiceAccount(doc.spec.template.spec, doc.metadata.name, all, where);
  checkConfigReferences(container, all, where, doc.metadata.name);
}

const services = ["call-service", "payment-service", "engineer-service", "call-view-service"];

function checkMesh(all, overlay) {
  // Keycloak's Service (components/keycloak) is routed to as well, on its own host
  const keycloakServices = all.filter((doc) => doc.kind === "Keycloak").map((doc) => `${doc.metadata.name}-service`);
  for (const service of services) {
    const rule = all.find((doc) => doc.kind === "DestinationRule" && doc.spec.host === service);
    check(rule?.spec.trafficPolicy?.outlierDetection !== undefined,
      `${overlay}: DestinationRule with outlier detection for ${service}`);
  }
  for (const vs of all.filter((doc) => doc.kind === "VirtualService")) {
    for (const route of vs.spec.http ?? []) {
      for (const destination of route.route ?? []) {
        check(services.includes(destination.destination.host) || keycloakServices.includes(destination.destination.host)
          || destination.destination.host.startsWith("knative-local-gateway."),
          `${overlay}: VirtualService ${vs.metadata.name} routes to unknown host ${destination.destination.host}`);
      }
    }
  }
}

// --- 3. identity and access ------------------------------------------------------------------

// A path of an AuthorizationPolicy, as Istio matches it (without the query string): exact, a
// prefix ending in "*", a suffix starting with "*", or "*" for any path.
function pathMatches(pattern, requestPath) {
  if (pattern === "*") {
    return true;
  }
  if (pattern.endsWith("*")) {
    return requestPath.startsWith(pattern.slice(0, -1));
  }
  if (pattern.startsWith("*")) {
    return requestPath.endsWith(pattern.slice(1));
  }
  return pattern === requestPath;
}

// A request as Istio matches it against a VirtualService: the routes in order, the first whose
// match entries (ORed) has one whose fields (ANDed) all hold: the uri exact, as a prefix, or as a
// whole-path RE2 regex; the method exact. Fields this check does not know fail.
function matchReadable(match) {
  return Object.keys(match).every((key) => ["uri", "method"].includes(key))
    && Object.keys(match.uri ?? {}).every((key) => ["exact", "prefix", "regex"].includes(key))
    && (match.method === undefined || JSON.stringify(Object.keys(match.method)) === '["exact"]');
}

function matchTakes(match, method, requestPath) {
  if (!matchReadable(match)) {
    return false;
  }
  const uri = match.uri ?? {};
  const pathTaken = uri.exact !== undefined ? requestPath === uri.exact
    : uri.prefix !== undefined ? requestPath.startsWith(uri.prefix)
      : uri.regex !== undefined ? new RegExp(`^(?:${uri.regex})$`).test(requestPath) : true;
  return pathTaken && (match.method === undefined || match.method.exact === method);
}

function routeOf(vs, method, requestPath) {
  return (vs.spec.http ?? []).find((route) => (route.match ?? [{}]).some((match) => matchTakes(match, method, requestPath)));
}

// the service a route reaches: its host, or with Knative the authority it rewrites to
function routeHost(route) {
  return route?.rewrite?.authority?.split(".")[0] ?? route?.route?.[0]?.destination.host;
}

// a path a match takes: the exact path, below the prefix, or the regex's with "x" for each segment
function samplePath(match) {
  return match.uri.exact ?? (match.uri.prefix !== undefined ? `${match.uri.prefix}x`
    : match.uri.regex.replace(/^\^/, "").replace(/\$$/, "").replaceAll("[^/]+", "x"));
}

function configMapOf(all, service) {
  // generated ConfigMaps carry a hash suffix: <service>-config-<hash>
  return all.find((doc) => doc.kind === "ConfigMap" && new RegExp(`^${service}-config(-[a-z0-9]+)?$`).test(doc.metadata.name));
}

// the pods of a service, as a Deployment or a Knative Service describes them
function podOf(all, service) {
  const workload = all.find((doc) => doc.metadata?.name === service
    && (doc.kind === "Deployment" || (doc.kind === "Service" && doc.apiVersion === "serving.knative.dev/v1")));
  return workload && { labels: workload.spec.template.metadata?.labels ?? {}, spec: workload.spec.template.spec, workload };
}

function checkIdentity(all, overlay) {
  const namespace = all.find((doc) => doc.kind === "Namespace")?.metadata.name;
  const knative = all.some((doc) => doc.kind === "Service" && doc.apiVersion === "serving.knative.dev/v1");
  const where = `${overlay}: identity`;

  // one RequestAuthentication for the services, passing the token on to them
  const requestAuthentications = all.filter((doc) => doc.kind === "RequestAuthentication");
  let issuer;
  let jwksUri;
  for (const service of services) {
    const pod = podOf(all, service);
    if (!pod) {
      continue;
    }
    const covering = requestAuthentications.filter((doc) => selects(doc.spec.selector?.matchLabels, pod.labels));
    if (check(covering.length === 1 && covering[0].spec.jwtRules?.length === 1,
      `${where}: exactly one RequestAuthentication with one jwtRule for ${service}'s pods`)) {
      const rule = covering[0].spec.jwtRules[0];
      check(rule.forwardOriginalToken === true, `${where}: RequestAuthentication ${covering[0].metadata.name} forwards the token (the service verifies it again)`);
      issuer = rule.issuer;
      jwksUri = rule.jwksUri;
    }
    check(configMapOf(all, service)?.data?.QUARKUS_OIDC_AUTH_SERVER_URL !== undefined,
      `${where}: ${service}'s ConfigMap sets QUARKUS_OIDC_AUTH_SERVER_URL (the identity provider)`);
  }
  if (!issuer) {
    return;
  }
  // istiod fetches the keys from istio-system: a Service of the namespace by its full name
  const inCluster = /^https?:\/\/[^/.]+\.([^/.]+)\.svc\.cluster\.local[:/]/.exec(jwksUri ?? "");
  check(!inCluster || inCluster[1] === namespace, `${where}: jwksUri ${jwksUri} names namespace ${inCluster?.[1]}, the overlay's is ${namespace}`);
  check(configMapOf(all, "engineer-service")?.data?.ASCALL_CONSOLE_ISSUER === issuer,
    `${where}: engineer-service's ASCALL_CONSOLE_ISSUER is the tokens' issuer ${issuer}`);

  checkKeycloak(all, overlay, namespace, issuer, jwksUri);
  checkAuthorization(all, overlay, namespace, knative);
}

function checkKeycloak(all, overlay, namespace, issuer, jwksUri) {
  const keycloaks = all.filter((doc) => doc.kind === "Keycloak");
  const imports = all.filter((doc) => doc.kind === "KeycloakRealmImport");
  if (keycloaks.length === 0) {
    check(imports.length === 0, `${overlay}: a KeycloakRealmImport without a Keycloak`);
    return;
  }
  const keycloak = keycloaks[0];
  const where = `${overlay}: Keycloak ${keycloak.metadata.name}`;
  check(keycloaks.length === 1, `${overlay}: one Keycloak`);
  const realmImport = imports.find((doc) => doc.spec.keycloakCRName === keycloak.metadata.name);
  if (!check(realmImport !== undefined, `${where}: no KeycloakRealmImport for it`)) {
    return;
  }
  const realm = realmImport.spec.realm;
  const publicUrl = keycloak.spec.hostname?.hostname ?? "";
  const port = keycloak.spec.http?.httpPort ?? 8080;
  const service = `${keycloak.metadata.name}-service`;
  check(issuer === `${publicUrl}/realms/${realm.realm}`, `${where}: the tokens' issuer ${issuer} is its realm's public URL ${publicUrl}/realms/${realm.realm}`);
  check(/^https:\/\//.test(publicUrl) && keycloak.spec.hostname?.backchannelDynamic === true,
    `${where}: an https public URL, and backchannelDynamic (the services reach it inside the cluster)`);
  check(keycloak.spec.http?.httpEnabled === true, `${where}: httpEnabled (TLS ends at the gateway)`);
  check(jwksUri === `http://${service}.${namespace}.svc.cluster.local:${port}/realms/${realm.realm}/protocol/openid-connect/certs`,
    `${where}: the RequestAuthentication's jwksUri ${jwksUri} is the realm's keys at ${service}`);
  check(keycloak.spec.unsupported?.podTemplate?.metadata?.labels?.["sidecar.istio.io/inject"] === "false",
    `${where}: its pods (and its realm import Job) outside the mesh: istiod fetches the keys, a Job's sidecar would never exit`);
  for (const name of services) {
    check(configMapOf(all, name)?.data?.QUARKUS_OIDC_AUTH_SERVER_URL === `http://${service}:${port}/realms/${realm.realm}`,
      `${where}: ${name} reaches the realm at http://${service}:${port}/realms/${realm.realm}`);
  }
  // its public host: a VirtualService for it, the realm and the pages' resources only
  const publicHost = publicUrl.replace(/^https:\/\//, "").replace(/\/.*$/, "");
  const routes = all.filter((doc) => doc.kind === "VirtualService" && (doc.spec.http ?? []).some(
    (route) => (route.route ?? []).some((destination) => destination.destination.host === service)));
  check(routes.some((vs) => vs.spec.hosts?.includes(publicHost)), `${where}: a VirtualService routes ${publicHost} to ${service}`);
  for (const vs of routes) {
    for (const route of vs.spec.http) {
      for (const match of route.match ?? []) {
        check([`/realms/${realm.realm}/`, "/resources/"].includes(match.uri?.prefix),
          `${where}: VirtualService ${vs.metadata.name} routes ${JSON.stringify(match.uri)}: only /realms/${realm.realm}/ and /resources/ are public (not the admin console, not the master realm)`);
      }
    }
  }
  checkRealm(all, realmImport, `${overlay}: realm ${realm.realm}`);
}

function checkRealm(all, realmImport, where) {
  const realm = realmImport.spec.realm;
  const text = JSON.stringify(realm);
  check(!text.includes('"credentials"'), `${where}: no credentials in the realm (no passwords in git)`);
  for (const user of realm.users ?? []) {
    check(user.serviceAccountClientId !== undefined, `${where}: user ${user.username} is not a service account (people are not committed)`);
  }
  const placeholders = realmImport.spec.placeholders ?? {};
  for (const client of realm.clients ?? []) {
    if (client.secret !== undefined) {
      const placeholder = /^\$\{([A-Z0-9_]+)\}$/.exec(client.secret)?.[1];
      check(placeholder !== undefined && placeholders[placeholder]?.secret?.name !== undefined,
        `${where}: client ${client.clientId}'s secret is a placeholder filled from a Secret, not a value`);
    }
  }
  const roles = (realm.roles?.realm ?? []).map((role) => role.name);
  check(["customer", "engineer", "operator", "payment-writer"].every((role) => roles.includes(role)),
    `${where}: realm roles customer, engineer, operator, payment-writer`);

  // A realm file that lists client scopes gets none of Keycloak's own: what the clients use must be here.
  const scopes = Object.fromEntries((realm.clientScopes ?? []).map((scope) => [scope.name, scope]));
  const mappers = (scope) => (scopes[scope]?.protocolMappers ?? []);
  const named = new Set(["offline_access"]);
  for (const scope of [...(realm.defaultDefaultClientScopes ?? []), ...(realm.clients ?? []).flatMap(
    (client) => [...(client.defaultClientScopes ?? []), ...(client.optionalClientScopes ?? [])])]) {
    check(named.has(scope) || scopes[scope] !== undefined, `${where}: client scope ${scope} is used but not defined`);
  }
  check(mappers("basic").some((mapper) => mapper.protocolMapper === "oidc-sub-mapper"), `${where}: scope basic puts the subject (sub) in tokens`);
  check(mappers("roles").some((mapper) => mapper.protocolMapper === "oidc-usermodel-realm-role-mapper"
    && mapper.config?.["claim.name"] === "realm_access.roles" && mapper.config?.["access.token.claim"] === "true"),
  `${where}: scope roles puts realm roles in realm_access.roles of access tokens`);
  const audiences = (list) => list.filter((mapper) => mapper.protocolMapper === "oidc-audience-mapper")
    .map((mapper) => mapper.config?.["included.custom.audience"]).sort();
  // payment-service too: operators read payments through the public gateway (its role check
  // decides; writes need payment-writer, call-service's alone)
  check(JSON.stringify(audiences(mappers("ascall-api"))) === JSON.stringify(["call-service", "call-view-service", "engineer-service", "payment-service"]),
    `${where}: scope ascall-api gives users' tokens the audiences call-service, engineer-service, call-view-service, payment-service`);

  const client = (id) => (realm.clients ?? []).find((candidate) => candidate.clientId === id);
  const app = client("ascall-app");
  if (check(app !== undefined, `${where}: client ascall-app`)) {
    check(app.publicClient === true && app.standardFlowEnabled === true && app.implicitFlowEnabled === false
      && app.directAccessGrantsEnabled === false && app.attributes?.["pkce.code.challenge.method"] === "S256",
    `${where}: ascall-app is public, authorization code with PKCE S256 only (no implicit flow, no password grant)`);
    check(["basic", "roles", "ascall-api"].every((scope) => app.defaultClientScopes?.includes(scope)),
      `${where}: ascall-app's tokens have sub, roles and the services' audiences (default scopes basic, roles, ascall-api)`);
  }
  const caller = client("call-service");
  if (check(caller !== undefined, `${where}: client call-service`)) {
    check(caller.publicClient === false && caller.serviceAccountsEnabled === true && caller.standardFlowEnabled === false
      && caller.directAccessGrantsEnabled === false, `${where}: call-service is confidential, client credentials only`);
    check(JSON.stringify(audiences(caller.protocolMappers ?? [])) === JSON.stringify(["payment-service"]),
      `${where}: call-service's tokens are for payment-service`);
    check(["basic", "roles"].every((scope) => caller.defaultClientScopes?.includes(scope)), `${where}: call-service's tokens have sub and roles`);
    const account = (realm.users ?? []).find((user) => user.serviceAccountClientId === "call-service");
    check(account?.realmRoles?.includes("payment-writer"), `${where}: call-service's service account holds payment-writer`);
    // the secret Keycloak imports is the one call-service sends
    const placeholder = /^\$\{([A-Z0-9_]+)\}$/.exec(caller.secret ?? "")?.[1];
    const imported = placeholders[placeholder]?.secret;
    const pod = podOf(all, "call-service");
    const sent = pod?.spec.containers[0].env?.find((variable) => variable.valueFrom?.secretKeyRef?.name === imported?.name)
      ?.valueFrom.secretKeyRef;
    check(imported !== undefined && sent?.key === imported.key,
      `${where}: call-service reads its client secret from the Secret the realm import takes it from (${imported?.name}/${imported?.key})`);
  }
}

// The AuthorizationPolicies: every rule without a token is a GET of health, the API documents (and
// the console's pages); every other rule asks a token for the service itself; payment-service's
// writes come from call-service alone, its other rules are GETs of /payments; every public route is
// let through for a caller with a token.
function checkAuthorization(all, overlay, namespace, knative) {
  const openPaths = ["/q/health", "/q/health/*", "/q/openapi", "/q/swagger-ui", "/q/swagger-ui/*"];
  const openPathsOf = { "engineer-service": ["/console", "/console/*"] };
  // Knative's activator and autoscaler probe and scrape these (overlays/knative/knative-system-access.yaml)
  const knativePaths = ["/healthz", "/metrics"];
  const callServicePrincipal = `cluster.local/ns/${namespace}/sa/call-service`;
  const policies = all.filter((doc) => doc.kind === "AuthorizationPolicy");
  for (const policy of policies) {
    for (const rule of policy.spec.rules ?? []) {
      for (const principal of (rule.from ?? []).flatMap((from) => from.source?.principals ?? [])) {
        check(principal.split("/")[2] === namespace, `${overlay}: AuthorizationPolicy ${policy.metadata.name} names ${principal}, outside namespace ${namespace}`);
      }
    }
  }
  const vs = all.find((doc) => doc.kind === "VirtualService" && doc.metadata.name === "ascall-api");
  for (const service of services) {
    const pod = podOf(all, service);
    if (!pod) {
      continue;
    }
    const where = `${overlay}: AuthorizationPolicy of ${service}`;
    const applying = policies.filter((doc) => selects(doc.spec.selector?.matchLabels, pod.labels));
    check(applying.length > 0 && applying.every((doc) => (doc.spec.action ?? "ALLOW") === "ALLOW"),
      `${where}: an ALLOW policy selects its pods (without one the mesh lets everything through)`);
    const rules = applying.flatMap((doc) => doc.spec.rules ?? []);
    const allowedOpen = [...openPaths, ...(openPathsOf[service] ?? [])];
    const within = (paths, allowed) => (paths ?? []).length > 0 && paths.every((pattern) => allowed.includes(pattern));
    for (const rule of rules) {
      const operations = (rule.to ?? []).map((to) => to.operation ?? {});
      if (!rule.from && !rule.when) {
        check(operations.length > 0 && operations.every((operation) => (knative && within(operation.paths, knativePaths))
          || (JSON.stringify(operation.methods) === '["GET"]' && within(operation.paths, allowedOpen))),
        `${where}: a rule without a token allows ${JSON.stringify(operations)}: only GET of ${allowedOpen.join(", ")}`
          + (knative ? `, and Knative's ${knativePaths.join(", ")}` : ""));
        continue;
      }
      const sources = (rule.from ?? []).map((from) => from.source ?? {});
      const condition = (key) => (rule.when ?? []).find((when) => when.key === key)?.values;
      check(sources.length > 0 && sources.every((source) => JSON.stringify(source.requestPrincipals) === '["*"]')
        && JSON.stringify(condition("request.auth.audiences")) === JSON.stringify([service]),
      `${where}: a rule with a token must ask a valid one (requestPrincipals "*") whose audience is ${service}`);
      if (service === "payment-service") {
        const reads = operations.length > 0 && operations.every((operation) => JSON.stringify(operation.methods) === '["GET"]');
        if (reads) {
          // operators' reads, from the public gateway: payment-service's role check decides
          check(operations.every((operation) => within(operation.paths, ["/payments", "/payments/*"])),
            `${where}: a GET rule with a token allows ${JSON.stringify(operations)}: only /payments and /payments/*`);
          continue;
        }
        check(operations.every((operation) => JSON.stringify(operation.methods) === '["POST"]'
          && (operation.paths ?? []).every((pattern) => ["/payments", "/payments/voids"].includes(pattern)))
          && JSON.stringify(condition("request.auth.claims[azp]")) === '["call-service"]',
        `${where}: a rule with a token that is not GET only: only POST /payments and /payments/voids, with call-service's token (azp call-service)`);
        // through Knative's activator and gateway the caller's mesh identity is not call-service's
        check(knative || sources.every((source) => JSON.stringify(source.principals) === JSON.stringify([callServicePrincipal])),
          `${where}: the writes come from call-service's pods (${callServicePrincipal})`);
      }
    }
    if (knative) {
      check(knativePaths.every((path) => rules.some((rule) => !rule.from && !rule.when
        && (rule.to ?? []).some((to) => (to.operation?.paths ?? []).includes(path)))),
      `${where}: Knative's activator and autoscaler may reach ${knativePaths.join(" and ")} (overlays/knative/knative-system-access.yaml)`);
    }
    // every public route to the service lets a caller with a token (or anyone, for open paths)
    // through, for the route's method (GET when the route takes any)
    const allows = (method, requestPath) => rules.some((rule) => (rule.to ?? []).some((to) =>
      (to.operation?.methods === undefined || to.operation.methods.includes(method))
      && (to.operation?.paths ?? []).some((pattern) => pathMatches(pattern, requestPath))));
    for (const route of vs?.spec.http ?? []) {
      if (routeHost(route) !== service) {
        continue;
      }
      for (const match of route.match ?? []) {
        const method = match.method?.exact ?? "GET";
        check(allows(method, samplePath(match)), `${where}: the public route ${route.name} (${method} ${samplePath(match)}) is refused to every caller`);
      }
    }
    if (service === "payment-service") {
      check(allows("POST", "/payments") && allows("POST", "/payments/voids"),
        `${where}: call-service's charges and voids (POST /payments, /payments/voids) are let through`);
    }
  }
  // operators read payments through the public gateway; charges and voids never go through it
  if (vs) {
    for (const requestPath of ["/payments", "/payments/x"]) {
      check(routeHost(routeOf(vs, "GET", requestPath)) === "payment-service",
        `${overlay}: the public gateway routes GET ${requestPath} to payment-service (operators read payments)`);
    }
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      for (const requestPath of ["/payments", "/payments/voids", "/payments/x"]) {
        check(routeOf(vs, method, requestPath) === undefined,
          `${overlay}: the public gateway routes ${method} ${requestPath} (payment-service's writes are call-service's alone, inside the mesh)`);
      }
    }
  }
}

// --- 4. the local gateway routes as the mesh -----------------------------------------------------

// "GET /payments -> payment-service" ("*" for any method), from the VirtualService's exact + prefix
// matches, to compare the overlays' routes with each other
function virtualServiceRoutes(vs) {
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
    check((route.match ?? []).every(matchReadable),
      `VirtualService route ${route.name}: deploy/k8s/check reads only uri (exact, prefix, regex) and method (exact) in its matches`);
    const methods = new Set((route.match ?? []).map((match) => match.method?.exact ?? "*"));
    check(methods.size === 1, `VirtualService route ${route.name}: the same method in each of its matches`);
    routes.add(`${[...methods][0]} ${exact} -> ${routeHost(route)}`);
  }
  return routes;
}

function sameRoutes(expected, actual, what) {
  const missing = [...expected].filter((route) => !actual.has(route));
  const extra = [...actual].filter((route) => !expected.has(route));
  check(missing.length === 0 && extra.length === 0,
    `${what}: routes differ (missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)})`);
}

// One frontend of haproxy.cfg, as HAProxy answers a request: the http-request return rules first,
// then the first use_backend whose condition holds, then default_backend; no backend is a 503.
// Only the statements haproxy.cfg uses are understood (acl on path, path_beg, method; conditions
// of acl names, "!", "or"/"||"); anything else fails the check rather than being misread.
function haproxyFrontend(file, name) {
  const where = `deploy/local/gateway/haproxy.cfg frontend ${name}`;
  const acls = {};
  const rules = [];
  let inside = false;
  let found = false;
  const condition = (text) => {
    const match = /^(if|unless)\s+(.+)$/.exec(text.trim());
    if (!check(match !== null, `${where}: a condition "if ..." or "unless ..." in ${text}`)) {
      return () => false;
    }
    const groups = match[2].split(/\s+(?:or|\|\|)\s+/).map((group) => group.split(/\s+/).map((term) => {
      const negated = term.startsWith("!");
      const acl = negated ? term.slice(1) : term;
      check(acls[acl] !== undefined, `${where}: condition names acl ${acl}, which is not declared before it`);
      return { acl, negated };
    }));
    const holds = (request) => groups.some((group) => group.every(({ acl, negated }) => (acls[acl] ?? []).some((test) => test(request)) !== negated));
    return match[1] === "if" ? holds : (request) => !holds(request);
  };
  for (const raw of fs.readFileSync(file, "utf8").split("\n")) {
    if (/^[a-z]/.test(raw)) {
      inside = new RegExp(`^frontend\\s+${name}\\s*$`).test(raw);
      found ||= inside;
      continue;
    }
    const line = raw.trim();
    if (!inside || line === "" || line.startsWith("#") || line.startsWith(".")) {
      continue;
    }
    let match;
    if (/^bind\s/.test(line)) {
      continue;
    } else if ((match = /^acl\s+(\S+)\s+(path|path_beg|method)\s+(.+)$/.exec(line))) {
      const [, acl, fetch, values] = match;
      const patterns = values.trim().split(/\s+/);
      check(patterns.every((pattern) => !pattern.startsWith("-") && !["||", "or", "path", "path_beg", "method"].includes(pattern)),
        `${where}: acl ${acl} ${fetch} ${values}: plain patterns only (HAProxy would take ${patterns.join(", ")} all as ${fetch} patterns)`);
      const test = fetch === "path" ? (request) => patterns.includes(request.path)
        : fetch === "path_beg" ? (request) => patterns.some((pattern) => request.path.startsWith(pattern))
          : (request) => patterns.includes(request.method);
      (acls[acl] ??= []).push(test);
    } else if ((match = /^http-request\s+return\s+status\s+(\d+)\s.*?\s((?:if|unless)\s+[^"]+)$/.exec(line))) {
      rules.push({ answer: `${match[1]}`, when: condition(match[2]), order: 0 });
    } else if ((match = /^use_backend\s+(\S+)\s+((?:if|unless)\s.+)$/.exec(line))) {
      rules.push({ answer: match[1], when: condition(match[2]), order: 1 });
    } else if ((match = /^default_backend\s+(\S+)$/.exec(line))) {
      rules.push({ answer: match[1], when: () => true, order: 2 });
    } else {
      check(false, `${where}: deploy/k8s/check does not read "${line}" (teach haproxyFrontend, or route otherwise)`);
    }
  }
  check(found, `${where}: no such frontend`);
  // HAProxy runs the http-request rules before choosing a backend, whatever their order in the file
  rules.sort((a, b) => a.order - b.order);
  return (method, requestPath) => rules.find((rule) => rule.when({ method, path: requestPath }))?.answer ?? "503";
}

// frontend api answers as the VirtualService: each route's own requests, and the near misses
// (a path one letter longer, the other methods of a GET-only route, a path no route has)
function checkGatewayRoutes(vs, file) {
  const answer = haproxyFrontend(file, "api");
  const requests = [["GET", "/nowhere"]];
  for (const route of vs.spec.http ?? []) {
    for (const match of route.match ?? []) {
      const requestPath = samplePath(match);
      const methods = match.method ? [match.method.exact, "POST", "DELETE"] : ["GET", "POST"];
      requests.push(...methods.map((method) => [method, requestPath]));
      if (match.uri.exact !== undefined) {
        requests.push(["GET", `${match.uri.exact}x`]);
      }
    }
  }
  for (const [method, requestPath] of requests) {
    const expected = routeHost(routeOf(vs, method, requestPath)) ?? "404";
    const actual = answer(method, requestPath);
    check(actual === expected, `deploy/local/gateway/haproxy.cfg frontend api: ${method} ${requestPath} goes to ${actual}, the VirtualService's to ${expected}`);
  }
  // the Service payment-service inside the mesh: call-service's charges and voids, every method
  const mesh = haproxyFrontend(file, "mesh");
  for (const [method, requestPath, expected] of [["POST", "/payments", "payment-service"], ["POST", "/payments/voids", "payment-service"],
    ["GET", "/payments/x", "payment-service"], ["GET", "/payments", "payment-service"], ["GET", "/paymentsx", "404"], ["GET", "/calls", "404"]]) {
    const actual = mesh(method, requestPath);
    check(actual === expected, `deploy/local/gateway/haproxy.cfg frontend mesh: ${method} ${requestPath} goes to ${actual}, not ${expected}`);
  }
}

// --- run --------------------------------------------------------------------------------------

const builds = fs.readdirSync(buildDir).filter((file) => file.endsWith(".yaml")).sort();
check(builds.length > 0, `no overlay builds in ${buildDir}`);
let meshRoutes;
let firstVirtualService;
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
  checkIdentity(all, overlay);

  const vs = all.find((doc) => doc.kind === "VirtualService" && doc.metadata.name === "ascall-api");
  if (check(vs !== undefined, `${overlay}: VirtualService ascall-api`)) {
    const routes = virtualServiceRoutes(vs);
    if (meshRoutes === undefined) {
      meshRoutes = routes;
      firstVirtualService = vs;
    } else {
      sameRoutes(meshRoutes, routes, `${overlay}: VirtualService ascall-api vs the first overlay's`);
    }
  }
}
if (firstVirtualService) {
  checkGatewayRoutes(firstVirtualService, path.join(root, "deploy/local/gateway/haproxy.cfg"));
}

for (const failure of failures) {
  console.log(`FAILED ${failure}`);
}
console.log(`manifests: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
