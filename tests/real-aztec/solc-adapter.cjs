#!/usr/bin/env node
// Native solc's command line (what forge calls) over the real Solidity compiler from npm (emscripten build):
// --version in native solc's format, and --standard-json on stdin. Anything else is refused by name.
'use strict';
const solc = require('/opt/aztec/npm/node_modules/solc');
const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version().replace('Emscripten.clang', 'Linux.g++')}\n`);
} else if (args.includes('--standard-json')) {
  process.stdout.write(solc.compile(require('fs').readFileSync(0, 'utf8')));
} else {
  process.stderr.write(`solc adapter: unsupported arguments: ${args.join(' ')}\n`);
  process.exit(2);
}
