import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { DatabaseTooNewError, MigrationError, NotAVaktDatabaseError } from '../../db/errors.js';
import { LATEST_VERSION, migrateTo, schemaVersion } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';
import { openStore } from '../../db/store.js';
import { cleanupTempDirs, createDB, T0, tables, tempDir, updateToVersion } from './helpers.js';

afterEach(cleanupTempDirs);

/** The migration files, NNNN-name.ts. */
const files = () => readdirSync(new URL('../../db/migrations/', import.meta.url)).filter((f) => /^\d{4}-.*\.ts$/.test(f));

describe('migration list', () => {
  it('is numbered 1..n with one file each', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(migrations.length);
    expect(files().map((f) => Number(f.slice(0, 4)))).toEqual(migrations.map((m) => m.version));
  });
  it('has one test file per migration, test/db/migrations/NNNN-name.test.ts (the pattern: docs/store.md)', () => {
    const tests = new Set(readdirSync(new URL('./migrations/', import.meta.url)));
    const missing = files().filter((f) => !tests.has(f.replace(/\.ts$/, '.test.ts')));
    expect(missing.map((f) => `test/db/migrations/${f.replace(/\.ts$/, '.test.ts')}`)).toEqual([]);
  });
});

describe('running migrations', () => {
  it('runs all pending migrations in one transaction: a failure leaves the old version intact', () => {
    const db = createDB();
    updateToVersion(db, 1);
    const broken = [
      ...migrations.slice(0, 1),
      {
        version: 2,
        name: 'broken',
        up: (d: Database.Database) => {
          d.exec('CREATE TABLE x (a)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrateTo(db, 2, broken)).toThrow(MigrationError);
    expect(() => migrateTo(db, 2, broken)).toThrow(/0002-broken failed: boom/);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('x');
  });

  it('takes a backup into <dataDir>/backups/ before migrating an existing file', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'vakt.db'));
    updateToVersion(db, 1);
    db.close();
    const store = openStore({ dataDir: dir, clock: new ManualClock(T0), machineId: 'm' });
    expect(store.opened).toMatchObject({ migratedFrom: 1, version: LATEST_VERSION });
    expect(store.opened.backup).toMatch(/backups\/vakt-.*-pre-migrate-v1\.db$/);
    // written behind the start (db/owed-backup.ts); the close waits for it
    store.close();
    expect(existsSync(store.opened.backup as string)).toBe(true);
    const copy = new Database(store.opened.backup as string, { readonly: true });
    expect(schemaVersion(copy)).toBe(1);
    copy.close();
  });

  it('refuses a database from a newer version with a clear error, without touching it', () => {
    const dir = tempDir();
    const file = join(dir, 'vakt.db');
    const db = new Database(file);
    updateToVersion(db, LATEST_VERSION);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    let err: unknown;
    try {
      openStore({ dataDir: dir, clock: new ManualClock(T0) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseTooNewError);
    expect((err as Error).message).toContain(`schema version ${LATEST_VERSION + 5}`);
    expect((err as Error).message).toContain(file);
    const again = new Database(file, { readonly: true });
    expect(schemaVersion(again)).toBe(LATEST_VERSION + 5);
    again.close();
  });

  it('refuses an SQLite file of another application', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'vakt.db'));
    db.exec('CREATE TABLE foreign_stuff (a)');
    db.close();
    expect(() => openStore({ dataDir: dir, clock: new ManualClock(T0) })).toThrow(NotAVaktDatabaseError);
  });
});
