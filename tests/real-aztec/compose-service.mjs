#!/usr/bin/env node
// compose-service.mjs COMPOSE SERVICE: one service of a docker-compose file that setup-validator.sh rendered,
// as the real-Aztec tier runs it without a Docker engine (there is none here). Prints JSON:
//   { image, entrypoint: [...], command: [...], env: [[KEY, VALUE], ...], binds: "SRC:DST[:ro] ...", ports }
// env is the env_file contents in compose's own format (KEY=VALUE per line, '#' comments, no quoting);
// binds are the volumes, for aztec-root.sh's REAL_AZTEC_BINDS. Anything this does not understand (a named
// volume, a quoted env value, an env_file that is missing) is an error: the tier must run the service exactly
// as rendered or not at all.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'));
const YAML = require('yaml');

const [composePath, serviceName] = process.argv.slice(2);
const fail = (message) => { process.stderr.write(`compose-service: ${message}\n`); process.exit(2); };
if (!composePath || !serviceName) fail('usage: compose-service.mjs COMPOSE SERVICE');

const compose = YAML.parse(readFileSync(composePath, 'utf8'), { merge: true });
const service = compose?.services?.[serviceName];
if (!service) fail(`${composePath} has no service '${serviceName}'`);

const list = (value, what) => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`${serviceName}.${what}: expected a list of strings`);
  return value;
};

const env = [];
for (const file of list(service.env_file, 'env_file')) {
  let text;
  try { text = readFileSync(file, 'utf8'); } catch { fail(`${serviceName}.env_file: ${file} cannot be read`); }
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) fail(`${file}:${i + 1}: not KEY=VALUE`);
    if (/^["']/.test(m[2])) fail(`${file}:${i + 1}: ${m[1]} is quoted; compose and this runner would disagree on its value`);
    env.push([m[1], m[2]]);
  }
}

const binds = list(service.volumes, 'volumes').map((v) => {
  const parts = v.split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0].startsWith('/') || (parts[2] && parts[2] !== 'ro')) {
    fail(`${serviceName}.volumes: '${v}' is not HOST_PATH:CONTAINER_PATH[:ro]`);
  }
  if (/\s/.test(v)) fail(`${serviceName}.volumes: '${v}' contains whitespace`);
  return v;
});

process.stdout.write(JSON.stringify({
  image: service.image,
  entrypoint: list(service.entrypoint, 'entrypoint'),
  command: list(service.command, 'command'),
  env,
  binds: binds.join(' '),
  ports: list(service.ports, 'ports'),
}) + '\n');
