#!/usr/bin/env node
// collect.mjs WORK REPO: turns what facts.sh rendered into WORK into the inputs of the checks:
//   WORK/contexts.json  env names per source: [{ source, kind: 'node' | 'migrate', names: [NAME], refs: {NAME: note} }]
//                       (refs: Kubernetes-only helpers, an env var with a fieldRef that other values use as $(NAME))
//   WORK/cases.json     command lines for start-parse.mjs: [{ id, argv, env?, check?, expect }]
// Sources: setup-validator.sh (node.env, compose command and environment, the files fetch-secrets writes into
// $RUN/env/, the HA migration's mounted files and command line), dev-network.sh's command line, the k8s
// render (dev, prod) and the committed k8s/ (the Aztec containers only: those running the aztec CLI).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [work, repo] = process.argv.slice(2);
const YAML = createRequire(join(repo, 'package.json'))('yaml');
const contexts = [];
const cases = [];
// A value no real configuration has: the migration check proves DATABASE_URL is what --database-url defaults to.
const SENTINEL = 'postgresql://facts-sentinel.invalid:5432/facts';
const CLI = '/usr/src/yarn-project/aztec/dest/bin/index.js';

const lines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);
const envFileNames = (file) =>
  lines(file).filter((l) => !l.trim().startsWith('#')).map((l) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(l);
    if (!m) throw new Error(`${file}: not KEY=VALUE: ${l.slice(0, 40)}`);
    return m[1];
  });

// --- setup-validator.sh -------------------------------------------------------------------------------------
const roles = ['sequencer', 'sequencer-ha', 'full', 'prover-node', 'prover-broker', 'prover-agent'];
for (const name of roles) {
  const d = join(work, 'sv', name);
  const label = name === 'sequencer-ha' ? 'role sequencer, HA' : name === 'sequencer' ? 'role sequencer, no HA' : `role ${name}`;
  contexts.push({ source: `scripts/setup-validator.sh render-node-env (${label}): node.env`, kind: 'node', names: envFileNames(join(d, 'node.env')) });
  contexts.push({ source: `scripts/setup-validator.sh fetch-secrets (${label}): files in $RUN/env/ (exported by node-entrypoint.sh)`, kind: 'node', names: lines(join(d, 'secrets.names')), allowEmpty: name === 'prover-agent' });
  const compose = YAML.parse(readFileSync(join(d, 'compose.yml'), 'utf8'), { merge: true });
  const node = compose.services['aztec-node'];
  if (node.environment) {
    const env = Array.isArray(node.environment) ? node.environment.map((e) => e.split('=')[0]) : Object.keys(node.environment);
    contexts.push({ source: `scripts/setup-validator.sh render-compose (${label}): aztec-node environment`, kind: 'node', names: env });
  }
  if (!Array.isArray(node.command)) throw new Error(`${name}: compose aztec-node.command is not a list`);
  cases.push({ id: `scripts/setup-validator.sh render-compose (${label}) command`, argv: node.command, expect: 'accept' });
  const docker = lines(join(d, 'docker.log'));
  if (docker.length) {
    const mounted = docker.filter((l) => l.startsWith('mount ')).map((l) => l.slice(6));
    const argv = docker.filter((l) => l.startsWith('argv ')).map((l) => l.slice(5));
    contexts.push({ source: `scripts/setup-validator.sh fetch-secrets (${label}): HA migration's files in $RUN/migrate/ (docker run ... ${argv.join(' ')})`, kind: 'migrate', names: mounted });
    const env = Object.fromEntries(mounted.map((n) => [n, n === 'DATABASE_URL' ? SENTINEL : 'facts']));
    cases.push({
      id: `scripts/setup-validator.sh fetch-secrets (${label}) HA migration`,
      argv, env, expect: 'accept',
      check: { option: 'databaseUrl', value: SENTINEL, from: 'DATABASE_URL (its mounted file)' },
    });
  }
}

// --- dev-network.sh ----------------------------------------------------------------------------------------
cases.push({ id: 'scripts/dev-network.sh start', argv: lines(join(work, 'dev', 'argv')), expect: 'accept' });

// --- Kubernetes --------------------------------------------------------------------------------------------
const k8sSets = [
  ['k8s render --stage dev', join(work, 'k8s', 'dev')],
  ['k8s render --stage prod', join(work, 'k8s', 'prod')],
  ['committed k8s/', join(repo, 'k8s')],
];
const skipped = new Set();
for (const [label, dir] of k8sSets) {
  let found = 0;
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const doc of YAML.parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const obj = doc.toJS();
      const spec = obj?.spec?.template?.spec ?? (obj?.kind === 'Pod' ? obj.spec : undefined);
      if (!spec) continue;
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        const command = c.command ?? [];
        const args = c.args ?? [];
        // The aztec image's own entrypoint runs the CLI when no command is given; else the CLI must be named.
        const cliAt = command.indexOf(CLI);
        let argv;
        if (command.length === 0 && /aztec/.test(c.image ?? '') && args[0] === 'start') argv = args;
        else if (cliAt >= 0) argv = [...command.slice(cliAt + 1), ...args];
        if (!argv) { skipped.add(`${c.name} (${c.image})`); continue; }
        found++;
        const where = `${label}: ${file}, container ${c.name}`;
        const env = c.env ?? [];
        const refs = {};
        for (const e of env) {
          const used = env.filter((o) => o !== e && typeof o.value === 'string' && o.value.includes(`$(${e.name})`)).map((o) => o.name);
          if (e.valueFrom?.fieldRef && used.length) refs[e.name] = `a Kubernetes fieldRef (${e.valueFrom.fieldRef.fieldPath}) only used as $(${e.name}) in ${used.join(', ')}`;
        }
        const migrate = argv[0] === 'migrate-ha-db';
        contexts.push({ source: `${where}: env`, kind: migrate ? 'migrate' : 'node', names: env.map((e) => e.name), refs });
        if (c.envFrom?.length) contexts.push({ source: `${where}: envFrom`, kind: 'node', names: [], unknown: ['envFrom (names not visible in the manifest)'] });
        const caseEnv = Object.fromEntries(env.filter((e) => e.name === 'DATABASE_URL').map((e) => [e.name, SENTINEL]));
        cases.push({
          id: `${where} args`, argv, expect: 'accept',
          ...(migrate ? { env: caseEnv, check: { option: 'databaseUrl', value: SENTINEL, from: 'its DATABASE_URL env' } } : {}),
        });
      }
    }
  }
  if (!found) throw new Error(`${label}: no Aztec container found in ${dir}`);
}

// --- the check bites: a made-up flag must be refused ----------------------------------------------------------
cases.push({ id: 'a made-up flag', argv: ['start', '--node', '--no-such-flag'], expect: 'reject' });
cases.push({ id: 'a flag the release removed', argv: ['start', '--node', '--archiver', '--sequencer'], expect: 'reject-removed' });

writeFileSync(join(work, 'contexts.json'), JSON.stringify({ contexts, skipped: [...skipped] }, null, 1));
writeFileSync(join(work, 'cases.json'), JSON.stringify(cases, null, 1));
