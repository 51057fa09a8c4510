// The framework-free network client shared by the browser game and the headless bots.
export * from './connection.js';
export * from './socketLike.js';
