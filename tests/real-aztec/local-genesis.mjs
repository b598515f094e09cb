// local-genesis.mjs: the addresses `aztec start --local-network` funds in its genesis besides its test accounts
// (the banana FPC and the sponsored FPC, in that order), as PREFUND_ADDRESSES for a node that joins it with
// TEST_ACCOUNTS=true: then both compute the same genesis archive root. Runs inside the real-Aztec root.
const base = '/opt/aztec/npm/node_modules/@aztec/aztec/dest/local-network';
const { getInitialTestAccountsData } = await import('/opt/aztec/npm/node_modules/@aztec/accounts/dest/testing/index.js');
const { getBananaFPCAddress } = await import(`${base}/banana_fpc.js`);
const { getSponsoredFPCAddress } = await import(`${base}/sponsored_fpc.js`);
const accounts = await getInitialTestAccountsData();
console.log([(await getBananaFPCAddress(accounts)).toString(), (await getSponsoredFPCAddress()).toString()].join(','));
