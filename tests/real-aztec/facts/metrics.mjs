#!/usr/bin/env node
// metrics.mjs DIR REPO WORK: every Aztec metric name the monitoring bundle uses (the committed monitoring/ and a
// fresh `monitoring render` in WORK/monitoring) is a series the real node exports, as Prometheus sees it after
// the OpenTelemetry collector. What the node exports, from the packages in DIR (never a list kept here):
//   - the metric definitions of @aztec/telemetry-client's dest/metrics.js, 4.1.2 (DIR/npm) and 5.2.0 (DIR/lib5):
//     `export const X = { name: 'aztec.a.b', unit: 'u', ... }`;
//   - the instrument each one is created as, from the 4.1.2 packages that create them (meter.createGauge(
//     Metrics.X), createUpDownCounterWithDefault(meter, Metrics.X), ...). 5.2.0's node packages are not on npm:
//     a metric only 5.2.0 defines is matched as any instrument, and said so.
// The rule, once (the collector's prometheus exporter, add_metric_suffixes on, its default; the OTel ->
// Prometheus name translation): the name's characters outside [a-zA-Z0-9_:] become separators; the unit, with
// any {annotation} dropped, is spelled out (ms -> milliseconds, s -> seconds, By -> bytes, 1 -> nothing, ...;
// unknown units stay as written) and appended unless the name already has it as a word; "a/b" units append
// a_per_b; a monotonic counter gets _total (unless it has the word); a gauge with unit 1 gets _ratio; a
// histogram is the three series _bucket, _sum and _count. Example: aztec.peer_manager.peer_count (unit peers)
// -> aztec_peer_manager_peer_count_peers.
// Not metric names: label names (every attribute in telemetry-client's attributes.js, the collector's
// const_labels, the labels prometheus.yml sets) and recording rules (aztec_infra:...). Prints TAP lines.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const [dir, repo, work] = process.argv.slice(2);
const out = [];
const tap = (pass, text, reasons = []) => { out.push(`${pass ? 'ok' : 'not ok'} - metrics: ${text}`); for (const r of reasons) out.push(`# ${r}`); };

const walk = (d, keep) => readdirSync(d).flatMap((f) => {
  const p = join(d, f);
  const s = statSync(p);
  return s.isDirectory() ? (f === 'node_modules' ? [] : walk(p, keep)) : keep(p) ? [p] : [];
});

// --- what each version defines ---------------------------------------------------------------------------------
const definitions = (root) => {
  const js = readFileSync(join(root, 'telemetry-client/dest/metrics.js'), 'utf8');
  const defs = new Map();
  for (const m of js.matchAll(/export const ([A-Z0-9_]+) = \{([^}]*)\}/g)) {
    const name = /name:\s*'([^']+)'/.exec(m[2])?.[1];
    if (!name) continue;
    defs.set(m[1], { name, unit: /unit:\s*'([^']*)'/.exec(m[2])?.[1] ?? '' });
  }
  const attributes = [...readFileSync(join(root, 'telemetry-client/dest/attributes.js'), 'utf8').matchAll(/export const [A-Z0-9_]+ = '([^']+)'/g)].map((x) => x[1]);
  const version = JSON.parse(readFileSync(join(root, 'telemetry-client/package.json'), 'utf8')).version;
  return { version, defs, attributes };
};
const v4 = definitions(join(dir, 'npm/node_modules/@aztec'));
const v5 = definitions(join(dir, 'lib5/@aztec'));
tap(v4.defs.size > 100 && v5.defs.size > 100,
  `metric definitions read from @aztec/telemetry-client ${v4.version} (${v4.defs.size}) and ${v5.version} (${v5.defs.size})`,
  [v4, v5].filter((v) => v.defs.size <= 100).map((v) => `${v.version}: dest/metrics.js has no 'export const X = { name: ... }' definitions`));

// --- the instruments, from the 4.1.2 packages that create them -------------------------------------------------
const KINDS = { Gauge: 'gauge', ObservableGauge: 'gauge', UpDownCounter: 'sum', ObservableUpDownCounter: 'sum',
  Counter: 'counter', ObservableCounter: 'counter', Histogram: 'histogram' };
const kinds = new Map(); // constant -> Set of kinds
const aztecDir = join(dir, 'npm/node_modules/@aztec');
for (const pkg of readdirSync(aztecDir)) {
  const dest = join(aztecDir, pkg, 'dest');
  if (!existsSync(dest)) continue;
  for (const file of walk(dest, (p) => p.endsWith('.js'))) {
    const js = readFileSync(file, 'utf8');
    if (!js.includes('Metrics.')) continue;
    for (const m of js.matchAll(/create(Observable(?:Gauge|Counter|UpDownCounter)|UpDownCounter|Counter|Gauge|Histogram)(?:WithDefault)?\(\s*(?:[\w.]+\s*,\s*)?Metrics\.([A-Z0-9_]+)/g)) {
      if (!kinds.has(m[2])) kinds.set(m[2], new Set());
      kinds.get(m[2]).add(KINDS[m[1]]);
    }
  }
}
tap(kinds.size > 50, `instruments found for ${kinds.size} metrics in the ${v4.version} packages`,
  kinds.size > 50 ? [] : ['the create*(Metrics.X) pattern no longer matches how the packages create their instruments']);

// --- the rule ----------------------------------------------------------------------------------------------------
const UNITS = { d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tebibytes', KBy: 'kilobytes', MBy: 'megabytes',
  GBy: 'gigabytes', TBy: 'terabytes', m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', 1: '', '%': 'percent' };
const PER = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };
const words = (s) => s.split(/[^a-zA-Z0-9_:]+/).filter(Boolean);
const prometheusSeries = ({ name, unit }, kind) => {
  const tokens = words(name);
  const u = unit.replace(/\{[^}]*\}/g, '');
  const [main, per] = u.split('/');
  const mainWord = main ? words(UNITS[main] ?? main).join('_') : '';
  if (mainWord && !tokens.includes(mainWord)) tokens.push(mainWord);
  if (per) {
    const p = words(PER[per] ?? per).join('_');
    if (p && !tokens.includes(p)) tokens.push('per', p);
  }
  if (kind === 'counter' && !tokens.includes('total')) tokens.push('total');
  if (kind === 'gauge' && u === '1' && !tokens.includes('ratio')) tokens.push('ratio');
  const base = tokens.join('_');
  return kind === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
};
const exported = (v) => {
  const series = new Map(); // prometheus name -> note
  for (const [constant, def] of v.defs) {
    const ks = kinds.get(constant);
    const as = ks ? [...ks] : ['gauge', 'counter', 'histogram'];
    for (const k of as) for (const s of prometheusSeries(def, k)) series.set(s, `${def.name}${def.unit ? ` (${def.unit})` : ''}, ${ks ? k : 'instrument unknown in ' + v4.version}`);
  }
  return series;
};
const s4 = exported(v4);
const s5 = exported(v5);
const ruleExample = prometheusSeries({ name: 'aztec.peer_manager.peer_count', unit: 'peers' }, 'gauge')[0];
tap(ruleExample === 'aztec_peer_manager_peer_count_peers', `the rule turns aztec.peer_manager.peer_count (peers) into ${ruleExample}`);

// --- the release floor: infra/Stages/AztecRelease.cs and setup-validator.sh's AZTEC_MIN_RELEASE ----------------
const cmp = (a, b) => { for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i]; return 0; };
const parse = (t) => t.split('.').map(Number);
const csFloor = /Minimum \{ get; \} = new\((\d+), (\d+), (\d+)\)/.exec(readFileSync(join(repo, 'infra/Stages/AztecRelease.cs'), 'utf8'))?.slice(1).map(Number);
const shFloor = /^readonly AZTEC_MIN_RELEASE=(\d+\.\d+\.\d+)$/m.exec(readFileSync(join(repo, 'scripts/setup-validator.sh'), 'utf8'))?.[1];
const floorText = `AztecRelease.Minimum ${csFloor?.join('.') ?? 'not found'}, AZTEC_MIN_RELEASE ${shFloor ?? 'not found'}`;
const floorOk = !!csFloor && !!shFloor && cmp(csFloor, parse(shFloor)) === 0 && cmp(csFloor, parse(v5.version)) >= 0 && cmp(csFloor, parse(v4.version)) > 0;
tap(floorOk, `the release floor is one version in C# and in the bootstrap, above ${v4.version} (${floorText})`);

// --- what the monitoring bundle uses -----------------------------------------------------------------------------
const labels = new Set([...v4.attributes, ...v5.attributes].map((a) => words(a).join('_')));
const otel = join(work, 'sv/otel-collector.yaml');
if (existsSync(otel)) {
  const block = /const_labels:\n((?:\s{6,}\S+:.*\n)+)/.exec(readFileSync(otel, 'utf8'));
  for (const l of block?.[1].matchAll(/^\s+([A-Za-z_][A-Za-z0-9_]*):/gm) ?? []) labels.add(l[1]);
}
const bundles = [['monitoring/', join(repo, 'monitoring')], ['monitoring render', join(work, 'monitoring')]];
for (const [, d] of bundles) {
  for (const f of walk(d, (p) => /prometheus\.ya?ml$/.test(p))) {
    for (const l of readFileSync(f, 'utf8').matchAll(/target_label:\s*['"]?([A-Za-z_][A-Za-z0-9_]*)/g)) labels.add(l[1]);
  }
}
for (const [label, d] of bundles) {
  if (!existsSync(d)) { tap(false, `${label}: ${d} is missing`); continue; }
  const used = new Map(); // name -> [files]
  for (const f of walk(d, (p) => /\.(ya?ml|json)$/.test(p))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/(?<![A-Za-z0-9_:$])aztec_[A-Za-z0-9_]+(?![A-Za-z0-9_:])/g)) {
      if (labels.has(m[0])) continue;
      if (!used.has(m[0])) used.set(m[0], new Set());
      used.get(m[0]).add(relative(d, f));
    }
  }
  tap(used.size > 10, `${label}: ${used.size} Aztec metric names found`, used.size > 10 ? [] : ['expected the alerts and dashboards to use more']);
  for (const [name, files] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
    const in4 = s4.get(name);
    const in5 = s5.get(name);
    const where = [...files].join(', ');
    if (in4 && in5) tap(true, `${label}: ${name} (${where}) is ${in5}`);
    else if (!in4 && !in5) tap(false, `${label}: ${name} (${where}) is not a series telemetry-client ${v4.version} or ${v5.version} exports`);
    else if (in5) {
      // New in the release: right only because no stage may run an older node.
      tap(floorOk, `${label}: ${name} (${where}) is ${in5}; new in ${v5.version} (${v4.version} lacks it), and the release floor refuses older nodes`,
        floorOk ? [] : [`the release floor (${floorText}) does not refuse ${v4.version}: this alert or panel would be silent on it`]);
    } else tap(false, `${label}: ${name} (${where}) is exported by ${v4.version} only (${in4}): ${v5.version}, the release we run, dropped it`);
  }
}
process.stdout.write(out.join('\n') + '\n');
