#!/usr/bin/env node
// env-names.mjs DIR CONTEXTS.json: every env name the project sets for an Aztec process is one the real software
// reads. What it reads, from the packages in DIR (never a list kept here):
//   - the EnvVar type of @aztec/foundation's dest/config/env_var.d.ts, 4.1.2 (DIR/npm) and 5.2.0 (DIR/lib5):
//     every config mapping of the node names its env var there;
//   - OpenTelemetry's resource env (OTEL_SERVICE_NAME, ...): read by @opentelemetry/resources' env detector
//     (the `env.X` it reads), which @aztec/telemetry-client's otel_resource.js puts in its detectors (checked
//     per version);
//   - DATABASE_URL, for `aztec migrate-ha-db up` only: its --database-url defaults to process.env.DATABASE_URL in
//     @aztec/aztec's dest/cli/cmds/migrate_ha_db.js (4.1.2: no @aztec/aztec 5.2.0 on npm; start-parse.mjs proves
//     it with the real parser);
//   - HOME: the process's own (Node's os.homedir(); the Kubernetes pods point it at a writable /tmp), not config;
//   - Kubernetes-only helpers: a fieldRef env var other values use as $(NAME) (collect.mjs finds them).
// A name read by one version only fails, naming the version. Prints TAP lines.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, contextsFile] = process.argv.slice(2);
const { contexts, skipped } = JSON.parse(readFileSync(contextsFile, 'utf8'));
const out = [];
const tap = (pass, text, reasons = []) => { out.push(`${pass ? 'ok' : 'not ok'} - env: ${text}`); for (const r of reasons) out.push(`# ${r}`); };

const versions = [
  { root: join(dir, 'npm/node_modules/@aztec') },
  { root: join(dir, 'lib5/@aztec') },
].map((v) => {
  const version = JSON.parse(readFileSync(join(v.root, 'foundation/package.json'), 'utf8')).version;
  const dts = readFileSync(join(v.root, 'foundation/dest/config/env_var.d.ts'), 'utf8');
  const m = /export type EnvVar =([^;]*);/.exec(dts);
  const envVar = new Set(m ? [...m[1].matchAll(/'([A-Za-z0-9_]+)'/g)].map((x) => x[1]) : []);
  const resource = readFileSync(join(v.root, 'telemetry-client/dest/otel_resource.js'), 'utf8');
  return { ...v, version, envVar, envDetector: /\benvDetector(Sync)?\b/.test(resource.replace(/\/\/.*$/gm, '')) };
});
const [v4, v5] = versions;

tap(versions.every((v) => v.envVar.size > 100),
  `EnvVar read from @aztec/foundation ${versions.map((v) => `${v.version} (${v.envVar.size} names)`).join(' and ')}`,
  versions.filter((v) => v.envVar.size <= 100).map((v) => `${v.version}: env_var.d.ts has no 'export type EnvVar = ...;' with names`));

// OpenTelemetry's env detector: the names it reads (the installed @opentelemetry/resources, 4.1.2's tree; 5.2.0's
// telemetry-client asks for the same major range, see its package.json).
const detectorFile = join(dir, 'npm/node_modules/@opentelemetry/resources/build/src/detectors/EnvDetectorSync.js');
const otelEnv = new Set(existsSync(detectorFile) ? [...readFileSync(detectorFile, 'utf8').matchAll(/\benv\.(OTEL_[A-Z_]+)/g)].map((x) => x[1]) : []);
const otelRange = (v) => JSON.parse(readFileSync(join(v.root, 'telemetry-client/package.json'), 'utf8')).dependencies?.['@opentelemetry/resources'];

const migrateJs = readFileSync(join(dir, 'npm/node_modules/@aztec/aztec/dest/cli/cmds/migrate_ha_db.js'), 'utf8');
const migrateReadsDatabaseUrl = /requiredOption\('--database-url <string>'[^)]*process\.env\.DATABASE_URL\)/.test(migrateJs);
tap(migrateReadsDatabaseUrl, "DATABASE_URL is `aztec migrate-ha-db up`'s --database-url default (4.1.2 dest/cli/cmds/migrate_ha_db.js)",
  migrateReadsDatabaseUrl ? [] : ["migrate_ha_db.js no longer has requiredOption('--database-url <string>', ..., process.env.DATABASE_URL)"]);

const PROCESS_ENV = { HOME: "the process's home directory (Node's os.homedir()), not Aztec config" };

// reader(name, version, context) -> how that version reads it, or undefined
const reader = (name, v, c) => {
  if (v.envVar.has(name)) return 'EnvVar';
  if (otelEnv.has(name) && v.envDetector) return `OpenTelemetry env detector (telemetry-client ${v.version} otel_resource.js)`;
  if (name === 'DATABASE_URL' && c.kind === 'migrate' && migrateReadsDatabaseUrl) return 'migrate-ha-db --database-url default';
  return undefined;
};

// The check bites: a made-up name is read by neither version, a real one by both.
const bite = { source: 'bite', kind: 'node' };
tap(versions.every((v) => !reader('AZTEC_NO_SUCH_SETTING', v, bite)) && versions.every((v) => reader('VALIDATOR_HA_SIGNING_ENABLED', v, bite)),
  'a made-up name (AZTEC_NO_SUCH_SETTING) is refused and VALIDATOR_HA_SIGNING_ENABLED is read by both (the check bites)');

const ours = new Map(); // name -> Set of versions that read it
const notes = new Set();
for (const c of contexts) {
  const reasons = [];
  for (const u of c.unknown ?? []) reasons.push(`${c.source}: ${u}`);
  for (const name of c.names) {
    if (PROCESS_ENV[name]) { notes.add(`${name}: ${PROCESS_ENV[name]}`); continue; }
    if (c.refs?.[name]) { notes.add(`${name}: ${c.refs[name]}`); continue; }
    const by = versions.filter((v) => reader(name, v, c));
    if (!ours.has(name)) ours.set(name, new Set());
    for (const v of by) ours.get(name).add(v.version);
    if (by.length === 0) reasons.push(`${c.source}: ${name} is not an env var the node reads (not in EnvVar of ${versions.map((v) => v.version).join(' or ')})`);
    else if (by.length < versions.length) {
      const missing = versions.filter((v) => !by.includes(v)).map((v) => v.version);
      reasons.push(`${c.source}: ${name} is read by ${by.map((v) => v.version).join(', ')} only: ${missing.join(', ')} ignores it`);
    }
    const how = by.map((v) => reader(name, v, c)).find((r) => r !== 'EnvVar');
    if (how) notes.add(`${name}: ${how}`);
  }
  const empty = c.names.length === 0;
  tap(reasons.length === 0 && (!empty || c.allowEmpty),
    `${c.source}: ${empty ? 'none (this role has no secrets)' : c.names.length + ' name(s), all read by ' + versions.map((v) => v.version).join(' and ')}`,
    reasons.length || !empty || c.allowEmpty ? reasons : ['nothing to check: the render produced no env names here (expected some)']);
}

const only = (a, b) => [...ours].filter(([, vs]) => vs.has(a.version) && !vs.has(b.version)).map(([n]) => n).sort();
out.push(`# names we set, read by ${v4.version} only: ${only(v4, v5).join(', ') || '(none)'}`);
out.push(`# names we set, read by ${v5.version} only: ${only(v5, v4).join(', ') || '(none)'}`);
out.push(`# read outside EnvVar or not Aztec config: ${[...notes].sort().join('; ') || '(none)'}`);
out.push(`# OpenTelemetry env detector names: ${[...otelEnv].join(', ')} (@opentelemetry/resources ${otelRange(v4)} in ${v4.version}, ${otelRange(v5)} in ${v5.version})`);
if (skipped?.length) out.push(`# not checked, they do not run the aztec CLI: containers ${skipped.join(', ')}`);
process.stdout.write(out.join('\n') + '\n');
