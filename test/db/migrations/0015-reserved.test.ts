/** Migration 0015-reserved (db/migrations/0015-reserved.ts): a placeholder for the maintenance plans of issue 20; when those land, their test replaces this one. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, updateToVersion } from '../helpers.js';

describe('0015-reserved', () => {
  it('changes nothing but the version', () => {
    const db = createDB();
    updateToVersion(db, 14);
    const schema = () => db.prepare(`SELECT type, name, sql FROM sqlite_schema ORDER BY name`).all();
    const before = schema();
    updateToVersion(db, 15);
    expect(schemaVersion(db)).toBe(15);
    expect(schema()).toEqual(before);
  });
});
