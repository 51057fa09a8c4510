// The framework-free network client shared by the browser game and the headless bots.
export * from './ackSchedule.js';
export * from './clockSync.js';
export * from './connection.js';
export * from './inputPacer.js';
export * from './interpolation.js';
export * from './matchmake.js';
export * from './netClient.js';
export * from './netStats.js';
export * from './networkSimulator.js';
export * from './pingSchedule.js';
export * from './prediction.js';
export * from './renderClock.js';
export * from './socketLike.js';
