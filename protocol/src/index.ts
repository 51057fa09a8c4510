// The protocol package's public face: ids, codes, messages, codec, shared step and scenario data.
export * from './arena.js';
export * from './closeCodes.js';
export * from './codec.js';
export * from './fields.js';
export * from './mapHash.js';
export * from './messageIds.js';
export * from './messages.js';
export * from './quantize.js';
export * from './random.js';
export * from './snapshot/index.js';
export * from './snapshotFrame.js';
export * from './step.js';
export * from './version.js';
