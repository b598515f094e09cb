// keystore-load.mjs VERSION DIR: loads a keystore directory the way the node loads KEY_STORE_DIRECTORY,
// with the real @aztec/node-keystore (VERSION 4.1.2: the one the node runs; 5.2.0: the network release's,
// unpacked beside it and resolving its dependencies from the 4.1.2 tree), and prints what the node would sign
// with: {"validators":[{"attesters":[...],"publishers":[...]}]} (addresses only, never key material).
// Runs inside the real-Aztec root (aztec-root.sh DIR node ...): /opt/aztec is the install.
const [version, dir] = process.argv.slice(2);
const base = { '4.1.2': '/opt/aztec/npm/node_modules/@aztec/node-keystore', '5.2.0': '/opt/aztec/lib5/@aztec/node-keystore' }[version];
if (!base || !dir) {
  process.stderr.write('usage: keystore-load.mjs 4.1.2|5.2.0 DIR\n');
  process.exit(2);
}
const ks = await import(`${base}/dest/index.js`);
try {
  const manager = new ks.KeystoreManager(ks.mergeKeystores(ks.loadKeystores(dir)));
  manager.validateSigners();
  const validators = [];
  for (let i = 0; i < manager.getValidatorCount(); i++) {
    validators.push({
      attesters: manager.createAttesterSigners(i).map((s) => s.address.toString().toLowerCase()),
      publishers: manager.createPublisherSigners(i).map((s) => s.address.toString().toLowerCase()),
    });
  }
  process.stdout.write(JSON.stringify({ version, validators }) + '\n');
} catch (err) {
  // The loader's messages name files and fields, never key values.
  process.stderr.write(`node-keystore ${version} refused ${dir}: ${err.message}\n`);
  process.exit(1);
}
