/** Sync protocol: mutations, wire shapes, merge rules, versions. Pure. */
export * from './protocol.js';
export * from './hlc.js';
export * from './mutations.js';
export * from './merge.js';
export * from './limits.js';
export * from './roles.js';
export * from './replay.js';
