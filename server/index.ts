/** The central sync server: public API. */
export { buildServer, HttpError } from './app.js';
export type { ServerOptions } from './app.js';
export { openDb, createPgDb, createPgliteDb, pgCode } from './db.js';
export type { Db, Queryable, QueryResult } from './db.js';
export { migrate, MIGRATIONS, LATEST_SERVER_SCHEMA } from './migrations.js';
export { createTenant, bootstrapIfEmpty, authenticate, newToken, sha256Hex } from './auth.js';
export type { Principal, CreatedTenant } from './auth.js';
export { deriveSla } from './sla.js';
export type { SlaDeriver } from './sla.js';
export { startServer } from './start.js';
export type { StartOptions, RunningServer } from './start.js';
