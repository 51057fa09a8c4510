// Bench: what the per-address checks cost, and that an attacker with many addresses cannot grow
// the join table. Run by hand (npx tsx --conditions=tickwire-source bench/addressLimits.ts); one line per figure.
//
//   npx tsx --conditions=tickwire-source bench/addressLimits.ts [--iterations 1000000] [--addresses 1000000]
//
// Baseline in the same run: normalizing the bare peer address, the least a limit keyed by address
// must do; against it, resolving a three-entry X-Forwarded-For behind a trusted proxy.
import { parseArgs } from 'node:util';
import { AddressLimits, MAX_TRACKED_ADDRESSES } from '../server/src/transport/addressLimits.js';
import { normalizeAddress, resolveClientAddress } from '../server/src/transport/clientAddress.js';
import { machine } from './support.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '1000000' },
    addresses: { type: 'string', default: '1000000' },
  },
});
const iterations = Number(values.iterations);
const addresses = Number(values.addresses);

/** ns per call of `run`, over `iterations` calls after a tenth as many to warm up. */
function nsPerCall(run: (i: number) => unknown): number {
  let sink = 0;
  for (let i = 0; i < iterations / 10; i++) sink += run(i) === undefined ? 0 : 1;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += run(i) === undefined ? 0 : 1;
  const ns = Number(process.hrtime.bigint() - started) / iterations;
  if (sink < 0) console.log(sink);
  return ns;
}

const trusted = new Set(['10.0.0.2']);
const peers = Array.from({ length: 256 }, (_, i) => `::ffff:198.51.100.${i}`);
const chains = Array.from({ length: 256 }, (_, i) => `192.0.2.1, 203.0.113.${i}, 10.0.0.3`);
const chainTrust = new Set(['10.0.0.2', '10.0.0.3']);
const v6 = Array.from({ length: 256 }, (_, i) => `2001:db8:${i.toString(16)}::1`);

console.log(`normalize peer (baseline)        ${nsPerCall((i) => normalizeAddress(peers[i & 255]!)).toFixed(0)} ns`);
console.log(
  `resolve, no proxy trusted        ${nsPerCall((i) => resolveClientAddress(peers[i & 255], undefined, new Set())).toFixed(0)} ns`,
);
console.log(
  `resolve, 3-entry XFF, 2 trusted  ${nsPerCall((i) => resolveClientAddress('10.0.0.2', chains[i & 255], chainTrust)).toFixed(0)} ns`,
);
console.log(
  `resolve, IPv6 peer keyed by /64  ${nsPerCall((i) => resolveClientAddress(v6[i & 255], undefined, trusted)).toFixed(0)} ns`,
);

// One join per distinct address, 1000 a second of fake time: the table stops at its cap.
const limits = new AddressLimits({ maxConnectionsPerIp: 16, joinsPerMinutePerIp: 30 });
const started = process.hrtime.bigint();
for (let i = 0; i < addresses; i++) limits.admitJoin(`k${i}`, i);
const perJoin = Number(process.hrtime.bigint() - started) / addresses;
console.log(`admitJoin, ${addresses} distinct addresses  ${perJoin.toFixed(0)} ns per HELLO`);
console.log(`join table after them              ${limits.tracked.joins} entries (cap ${MAX_TRACKED_ADDRESSES})`);
console.log(machine());
