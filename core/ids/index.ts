export * from './crockford.js';
export * from './case-number.js';
export * from './uuid7.js';
export * from './hlc.js';
