// Delta snapshots: the entity field table, predictions, world states, the history ring, and the
// encoder/decoder pair.
export * from './decodeSnapshot.js';
export * from './encodeSnapshot.js';
export * from './entityFields.js';
export * from './eventHistory.js';
export * from './msgpackWriter.js';
export * from './predict.js';
export * from './stateRing.js';
export * from './worldState.js';
