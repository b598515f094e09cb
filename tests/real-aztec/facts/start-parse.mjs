// start-parse.mjs CASES.json: runs inside the real-Aztec root (DIR/bin/node, Node 24) and parses each case's
// command line with the real aztec CLI program, the one @aztec/aztec's dest/bin/index.js builds, without running
// anything: commander's Command.prototype.parseAsync is wrapped so that when index.js's main() has built the
// program and calls program.parseAsync(process.argv), each case's line is parsed instead, with exitOverride()
// on every command and the actions of `start` and `migrate-ha-db up` replaced by recorders. (commander checks
// unknown options only when it runs an action, and --help short-circuits: so the action must run.)
// CASES: [{ id, argv: [...], env?: {NAME: value}, expect: "accept" | "reject" | "reject-removed" }]. Prints TAP
// lines. A line using a flag the 5.2.0 release removed (REMOVED_IN_RELEASE: 4.1.2 still parses it) is refused.
// Offline: index.js's network enrichment runs only for a --network in its own argv (there is none: the cases
// are parsed later) or NETWORK; both are cleared, NETWORK_CONFIG_LOCATION points at an empty local map and the
// version check is off.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AZTEC = '/opt/aztec/npm/node_modules/@aztec/aztec';
const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(`${AZTEC}/package.json`);
const { Command } = require('commander');
const version = JSON.parse(readFileSync(`${AZTEC}/package.json`, 'utf8')).version;

const REMOVED_IN_RELEASE = ['--archiver'];
const out = [];
const ok = (pass, text, reasons = []) => {
  out.push(`${pass ? 'ok' : 'not ok'} - ${text}`);
  for (const r of reasons) out.push(`# ${r}`);
};

const realParseAsync = Command.prototype.parseAsync;
let built; // resolves with the program index.js built
const programBuilt = new Promise((resolve) => { built = resolve; });
Command.prototype.parseAsync = async function parseAsyncIntercepted() {
  built(this);
};

// A fresh program per case (commander keeps parsed option values between parses): index.js runs main() at
// import, and a distinct query string makes Node evaluate the module again (its dependencies stay cached).
let n = 0;
async function freshProgram(env) {
  const saved = {};
  for (const [k, v] of Object.entries(env ?? {})) { saved[k] = process.env[k]; process.env[k] = v; }
  const p = new Promise((resolve) => { built = resolve; });
  process.argv = [process.argv[0], `${AZTEC}/dest/bin/index.js`];
  await import(`${AZTEC}/dest/bin/index.js?case=${n++}`);
  const program = await p;
  for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  return program;
}
void programBuilt;

for (const c of cases) {
  const program = await freshProgram(c.env);
  let recorded;
  const errors = [];
  const quiet = { writeErr: (s) => errors.push(s.trim()), writeOut: () => {} };
  const prepare = (cmd) => { cmd.exitOverride(); cmd.configureOutput(quiet); cmd.commands.forEach(prepare); };
  prepare(program);
  const start = program.commands.find((x) => x.name() === 'start');
  start.action((options) => { recorded = { command: 'start', options }; });
  const up = program.commands.find((x) => x.name() === 'migrate-ha-db')?.commands.find((x) => x.name() === 'up');
  up?.action((options) => { recorded = { command: 'migrate-ha-db up', options }; });
  let error;
  try {
    await realParseAsync.call(program, c.argv, { from: 'user' });
  } catch (e) {
    error = e;
  }
  const line = `aztec ${c.argv.join(' ')}`;
  const accepted = !error && recorded !== undefined;
  if (c.expect === 'reject') {
    ok(!accepted && error?.code === 'commander.unknownOption',
      `${c.id}: the ${version} parser rejects \`${line}\` (the check bites)`,
      accepted ? ['it was accepted'] : error?.code === 'commander.unknownOption' ? [] : [`failed otherwise: ${error?.code} ${error?.message}`]);
  } else if (c.expect === 'reject-removed') {
    // 4.1.2 still parses it: only the removed-flag rule can refuse it, and it must.
    const flagged = REMOVED_IN_RELEASE.filter((f) => c.argv.includes(f));
    ok(accepted && flagged.length > 0, `${c.id}: \`${line}\` is refused as removed in 5.2.0 (${flagged.join(', ') || 'no rule matched'}) though the ${version} parser takes it (the check bites)`,
      accepted ? [] : [`the ${version} parser itself refused it: ${error?.code} ${error?.message}`]);
  } else {
    const reasons = [];
    if (error) reasons.push(`${error.code}: ${error.message}`);
    else if (!recorded) reasons.push('no action ran (help or a different command?)');
    // Accepted by 4.1.2 yet removed from the release we run (5.2.0, May 2026): there it stops start-up.
    for (const f of REMOVED_IN_RELEASE) if (c.argv.includes(f)) reasons.push(`${f} was removed in the 5.2.0 release and breaks its start-up`);
    if (c.check) {
      const have = recorded?.options?.[c.check.option];
      if (have !== c.check.value) reasons.push(`option ${c.check.option} is ${JSON.stringify(have)}, expected the value of ${c.check.from}`);
    }
    if (c.flags && recorded) {
      for (const f of c.flags) if (recorded.options[f] !== true) reasons.push(`--${f} did not parse to true (${JSON.stringify(recorded.options[f])})`);
    }
    ok(reasons.length === 0, `${c.id}: the ${version} parser accepts \`${line}\``, reasons);
  }
}
writeFileSync(process.argv[3] ?? '/dev/stdout', out.join('\n') + '\n');
process.exit(0);
