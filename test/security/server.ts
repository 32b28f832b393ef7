/** Helpers of the security tests. */
import { describe } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db.js';
import type { ConflictField } from '../../core/sync/mutations.js';
import { pgliteApp, postgresApp } from '../server/apps.js';
import type { TestApp } from '../server/apps.js';
import { syncOnce } from '../server/helpers.js';
import { PG_MISSING, postgresInstalled } from '../server/pg.js';
import type { TestDevice } from '../server/helpers.js';

/** The sync server of a suite: in-process Fastify on the shared PGlite or a fresh PostgreSQL database. */
export interface Server {
  readonly app: FastifyInstance;
  readonly db: Db;
}

/**
 * Runs `suite` against a server on PGlite and one on PostgreSQL (test/server/apps.ts; the PostgreSQL
 * run is skipped, saying so, where PostgreSQL is not installed).
 */
export function onBothDatabases(name: string, suite: (s: Server) => void): void {
  const live = (get: () => TestApp): Server => ({
    get app() {
      return get().app;
    },
    get db() {
      return get().db;
    },
  });
  describe(`${name} (PGlite)`, () => suite(live(pgliteApp())));
  describe.skipIf(!postgresInstalled())(`${name} (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => suite(live(postgresApp())));
}

/** Two devices change one field of a ticket both have, concurrently: the server records a conflict. Returns its id. */
export async function makeConflict(a: TestDevice, b: TestDevice, ticketId: string, field: ConflictField, values: [string, string]): Promise<string> {
  await syncOnce(a);
  await syncOnce(b);
  a.store.edit(ticketId, field, values[0]);
  b.store.edit(ticketId, field, values[1]);
  await syncOnce(a);
  await syncOnce(b);
  const id = [...b.store.conflicts.keys()][0];
  if (!id) throw new Error('no conflict was recorded');
  return id;
}
