// Validates rendered Kubernetes YAML against pinned schemas: the built-in API with `kubernetes-models`
// (generated from the Kubernetes 1.34 OpenAPI: it has resource.k8s.io/v1, GA in 1.34), External Secrets
// and Prometheus Operator objects with their CRD schemas (`@kubernetes-models/external-secrets`,
// `@kubernetes-models/prometheus-operator`). Versions are pinned in package.json.
//
// Usage: node tests/k8s-schema/validate.mjs DIR...   (every *.yaml in each DIR)
// Prints one line per object and "N valid, N invalid"; exits 1 when any object is invalid or unknown.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

// apiVersion -> module exporting the models of that group/version. Anything else is refused: an object we
// cannot validate must not pass silently.
const modules = {
  v1: "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "storage.k8s.io/v1": "kubernetes-models/storage.k8s.io/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "external-secrets.io/v1": "@kubernetes-models/external-secrets/external-secrets.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

// kustomize's own file is not a cluster object; check only that it lists files that exist.
function checkKustomization(dir, doc) {
  const missing = (doc.resources ?? []).filter((f) => !readdirSync(dir).includes(f));
  if (missing.length) throw new Error(`lists missing resources: ${missing.join(", ")}`);
}

let valid = 0;
let invalid = 0;
const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: validate.mjs DIR...");
  process.exit(2);
}

for (const dir of dirs) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
  if (files.length === 0) {
    console.error(`not ok ${dir}: no *.yaml files`);
    invalid++;
  }
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
    for (const [i, parsed] of docs.entries()) {
      const label = `${join(dir, file)}#${i}`;
      try {
        if (parsed.errors.length) throw new Error(parsed.errors.map((e) => e.message).join("; "));
        const doc = parsed.toJS();
        if (doc === null || typeof doc !== "object") throw new Error("is not a mapping");
        if (doc.kind === "Kustomization") {
          checkKustomization(dir, doc);
        } else {
          const path = modules[doc.apiVersion];
          if (!path) throw new Error(`apiVersion ${doc.apiVersion} has no pinned schema here`);
          const Model = (await import(path))[doc.kind];
          if (!Model) throw new Error(`kind ${doc.kind} is not in ${path}`);
          new Model(doc).validate();
        }
        console.log(`ok ${label} ${doc.kind}/${doc.metadata?.name ?? ""}`);
        valid++;
      } catch (e) {
        console.log(`not ok ${label}: ${e.message}`);
        invalid++;
      }
    }
  }
}

console.log(`${valid} valid, ${invalid} invalid`);
process.exit(invalid === 0 ? 0 : 1);
