/** Helpers of the security tests. */
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db.js';
import type { ConflictField } from '../../core/sync/mutations.js';
import { makeApp, sharedPglite, syncOnce } from '../server/helpers.js';
import type { TestDevice } from '../server/helpers.js';

/** A sync server for a test file or describe block: in-process Fastify on the file's shared PGlite. */
export function serverForTests(): { readonly db: Db; readonly app: FastifyInstance } {
  const s = {} as { db: Db; app: FastifyInstance };
  beforeAll(async () => {
    s.db = await sharedPglite();
    s.app = await makeApp(s.db);
  });
  afterAll(async () => {
    await s.app.close();
  });
  return s;
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
