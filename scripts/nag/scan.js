#!/usr/bin/env node
// The outside security scan: cdk-nag's AwsSolutions pack over the templates a stage synthesized.
//
//   node scripts/nag/scan.js CLOUD_ASSEMBLY_DIR
//
// Each template is included as it is (cloudformation-include) into a host stack of its own region, the
// pack runs over it as an Aspect (cdk-nag 2.x), and every finding is printed. A template passes when it
// has no unsuppressed error and no rule that failed to evaluate. Suppressions are never made here: they
// are cdk-nag metadata (cdk_nag.rules_to_suppress) that the C# app writes into the templates, each with
// its reason (infra/Constructs/NagSuppressions.cs). Prints "ok TEMPLATE" / "not ok TEMPLATE" per
// template and exits 1 when any template fails, 2 on usage errors.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { App, Aspects, DefaultStackSynthesizer, Stack } = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks, NagMessageLevel } = require('cdk-nag');

// aws-cdk-lib's own template validation (a cfn-lint subset) would also run on every synth here; this
// harness is about the AwsSolutions pack, and its one finding (zones written in the template) is our
// design: zones come from config so that synthesis never looks them up.
process.env.CDK_VALIDATION = 'false';

/** Collects what the pack finds, per template. */
class Collector {
  constructor() {
    this.findings = [];
  }

  record(kind, data, extra) {
    this.findings.push({
      kind,
      rule: data.ruleId,
      level: data.ruleLevel,
      resource: data.resource.logicalId ? Stack.of(data.resource).resolve(data.resource.logicalId) : data.resource.node.path,
      info: data.ruleInfo,
      extra,
    });
  }

  onCompliance() {}
  onNotApplicable() {}
  onNonCompliance(data) { this.record('finding', data, data.findingId); }
  onSuppressed(data) { this.record('suppressed', data, data.suppressionReason); }
  onError(data) { this.record('rule-error', data, data.errorMessage); }
  onSuppressedError(data) { this.record('suppressed', data, data.errorSuppressionReason); }
}

function templatesOf(dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  return Object.entries(manifest.artifacts || {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => ({
      id,
      file: path.join(dir, a.properties.templateFile),
      region: (a.environment || '').split('/').pop(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function scan(template) {
  const collector = new Collector();
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'aztec-nag-')), analyticsReporting: false });
  // The included template already has the BootstrapVersion parameter and its rule.
  const host = new Stack(app, 'Host', {
    env: template.region && template.region !== 'unknown-region' ? { region: template.region } : undefined,
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
  });
  new CfnInclude(host, 'Template', { templateFile: template.file });
  Aspects.of(app).add(new AwsSolutionsChecks({ reports: false, additionalLoggers: [collector] }));
  app.synth();
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return collector.findings;
}

function main(argv) {
  if (argv.length !== 1 || !fs.existsSync(path.join(argv[0], 'manifest.json'))) {
    console.error('usage: node scripts/nag/scan.js CLOUD_ASSEMBLY_DIR (a directory with manifest.json, e.g. cdk.out)');
    return 2;
  }

  let failed = 0;
  for (const template of templatesOf(argv[0])) {
    const findings = scan(template);
    const errors = findings.filter((f) => f.kind === 'rule-error' || (f.kind === 'finding' && f.level === NagMessageLevel.ERROR));
    const warnings = findings.filter((f) => f.kind === 'finding' && f.level !== NagMessageLevel.ERROR);
    const suppressed = findings.filter((f) => f.kind === 'suppressed');
    for (const f of errors) console.log(`  ERROR ${f.rule}${f.kind === 'finding' && f.extra !== f.rule ? ` [${f.extra}]` : ''} ${f.resource}: ${f.kind === 'rule-error' ? `rule failed to evaluate: ${f.extra}` : f.info}`);
    for (const f of warnings) console.log(`  warn  ${f.rule} ${f.resource}: ${f.info}`);
    for (const f of suppressed) console.log(`  suppressed ${f.rule} ${f.resource}: ${f.extra}`);
    console.log(`${errors.length ? 'not ok' : 'ok'} ${template.id} (${errors.length} error(s), ${warnings.length} warning(s), ${suppressed.length} suppressed)`);
    if (errors.length) failed++;
  }

  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
