// addresses.mjs FILE: the attester addresses of a keystore file as Aztec's generator writes it, derived here from
// its private keys with viem (secp256k1, the library the node signs with), independently of this project's code
// and of @aztec/node-keystore. Prints a JSON array of lower-case addresses; never a key.
// Runs inside the real-Aztec root (aztec-root.sh DIR node ...).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire('/opt/aztec/npm/node_modules/@aztec/aztec/package.json');
const { privateKeyToAddress } = require('viem/accounts');
const file = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const eth = (attester) => (typeof attester === 'string' ? attester : attester?.eth);
const out = (file.validators ?? []).map((v, i) => {
  const key = eth(v.attester);
  if (typeof key !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(key)) {
    process.stderr.write(`validators[${i}].attester: not a private key of 32 bytes (value not shown)\n`);
    process.exit(1);
  }
  return privateKeyToAddress(key).toLowerCase();
});
process.stdout.write(JSON.stringify(out) + '\n');
