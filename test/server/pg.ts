/**
 * Real PostgreSQL for tests: starts the Debian cluster when it is down,
 * ensures a password role `vakt_test`, creates a fresh database per test run
 * and drops it afterwards. Returns null (tests skip, saying why) only when
 * PostgreSQL is not installed at all.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';

export interface TestPostgres {
  url: string;
  database: string;
  drop(): Promise<void>;
}

export const PG_MISSING = 'PostgreSQL is not installed (no pg_ctlcluster / /usr/lib/postgresql); `npm test` installs it';

export function postgresInstalled(): boolean {
  return fs.existsSync('/usr/bin/pg_ctlcluster') && fs.existsSync('/usr/lib/postgresql');
}

const ROLE = 'vakt_test';
const PASSWORD = 'vakt_test';

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function clusters(): { version: string; name: string; port: number; status: string }[] {
  return sh('pg_lsclusters', ['--no-header'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.trim().split(/\s+/))
    .map((p) => ({ version: p[0] as string, name: p[1] as string, port: Number(p[2]), status: p[3] as string }));
}

export async function startPostgres(): Promise<TestPostgres | null> {
  if (!postgresInstalled()) return null;
  let list = clusters();
  if (list.length === 0) {
    const version = fs.readdirSync('/usr/lib/postgresql').sort().pop() as string;
    sh('pg_createcluster', [version, 'main']);
    list = clusters();
  }
  const c = list[0];
  if (!c) throw new Error('no PostgreSQL cluster');
  if (c.status !== 'online') sh('pg_ctlcluster', [c.version, c.name, 'start']);
  const asPostgres = (sql: string): string => {
    const args = ['-p', String(c.port), '-tAc', sql];
    return process.getuid?.() === 0 ? sh('runuser', ['-u', 'postgres', '--', 'psql', ...args]) : sh('psql', ['-U', 'postgres', '-h', '127.0.0.1', ...args]);
  };
  if (!asPostgres(`SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'`).trim()) {
    asPostgres(`CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD}'`);
  }
  const base = `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${c.port}`;
  const database = `vakt_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  return {
    url: `${base}/${database}`,
    database,
    // As the superuser: FORCE must end every session on the database, and a
    // test may have connected under another role (the server's own roles).
    async drop() {
      asPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}
