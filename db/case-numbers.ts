/**
 * Case-number allocation that never reissues a number, even after a crash, a
 * restore of an old backup, or a copy of the database to another machine.
 *
 * The database holds the active prefix and its next sequence. A small sidecar
 * file, <dataDir>/case-numbers.json, written atomically and fsynced, holds
 * {installId, machine, prefix, reservedThrough}: every sequence number that
 * may have been handed out is <= reservedThrough, because the reservation is
 * extended (in blocks) and made durable BEFORE the ticket transaction commits.
 *
 * At open:
 *  - no sidecar and no prefix yet (new install)  -> new provisional prefix;
 *  - sidecar names another install, another machine (hostname + data dir
 *    path), or another prefix, or is missing while the db has issued numbers
 *    (the db was cloned, copied or restored from elsewhere) -> the old prefix
 *    is retired and the device moves to a fresh provisional prefix with a new
 *    device id;
 *  - otherwise the sequence resumes at max(db next, reservedThrough + 1), so an
 *    older copy of this same install's database cannot reissue numbers.
 * At a clean close the reservation is trimmed to what was issued, so a normal
 * restart leaves no gap; a crash leaves a gap of less than one block.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { encodeBytes } from '../core/ids/crockford.js';
import { formatCaseNumber, normalizePrefix, prefixKind } from '../core/ids/case-number.js';
import type { RandomSource } from '../core/ids/uuid7.js';
import { ConflictError, StoreError, ValidationError } from './errors.js';
import { writeFileDurable } from './files.js';

export const SIDECAR_NAME = 'case-numbers.json';
export const DEFAULT_RESERVATION_BLOCK = 256;

interface Sidecar {
  format: 1;
  installId: string;
  machine: string;
  prefix: string;
  reservedThrough: number;
}

export interface PrefixInfo {
  prefix: string;
  kind: 'provisional' | 'enrolled';
  nextSeq: number;
  active: boolean;
  createdAt: number;
  retiredAt: number | null;
  retiredReason: string | null;
}

export function defaultMachineId(dataDir: string): string {
  let dir = dataDir;
  try {
    dir = realpathSync(dataDir);
  } catch {
    // not created yet
  }
  return createHash('sha256').update(`${hostname()}\0${dir}`).digest('hex').slice(0, 32);
}

export function newProvisionalPrefix(random: RandomSource): string {
  return encodeBytes(random(5), 8);
}

export class CaseNumberAllocator {
  private readonly sidecarFile: string;
  private reservedThrough = 0;
  private prefix = '';
  /** Set when open() found a reason to move to a fresh prefix. */
  rotatedBecause: string | null = null;

  constructor(
    private readonly db: BetterSqlite3.Database,
    dataDir: string,
    private readonly machine: string,
    private readonly random: RandomSource,
    private readonly now: () => number,
    private readonly block = DEFAULT_RESERVATION_BLOCK,
  ) {
    this.sidecarFile = join(dataDir, SIDECAR_NAME);
  }

  private readSidecar(): Sidecar | null {
    if (!existsSync(this.sidecarFile)) return null;
    try {
      const s = JSON.parse(readFileSync(this.sidecarFile, 'utf8')) as Partial<Sidecar>;
      if (s.format === 1 && typeof s.installId === 'string' && typeof s.machine === 'string' && typeof s.prefix === 'string' && Number.isSafeInteger(s.reservedThrough)) return s as Sidecar;
    } catch {
      // unreadable: treat like a foreign db (safe: moves to a fresh prefix)
    }
    return { format: 1, installId: '', machine: '', prefix: '', reservedThrough: 0 };
  }

  private writeSidecar(installId: string, reservedThrough: number): void {
    const s: Sidecar = { format: 1, installId, machine: this.machine, prefix: this.prefix, reservedThrough };
    writeFileDurable(this.sidecarFile, JSON.stringify(s) + '\n');
    this.reservedThrough = reservedThrough;
  }

  private installId(): string {
    return (this.db.prepare('SELECT install_id FROM device_state WHERE id = 1').get() as { install_id: string }).install_id;
  }

  /** Runs at open, after migrations; returns the active prefix. */
  open(newIdentity: () => { installId: string; deviceId: string }): string {
    const active = this.db.prepare('SELECT prefix, next_seq FROM case_prefixes WHERE active = 1').get() as { prefix: string; next_seq: number } | undefined;
    const sidecar = this.readSidecar();
    const installId = this.installId();
    let reason: string | null = null;
    if (!active) reason = sidecar ? 'no active prefix' : null;
    else if (!sidecar) {
      const issued = active.next_seq > 1 || (this.db.prepare('SELECT count(*) AS n FROM case_prefixes').get() as { n: number }).n > 1;
      reason = issued ? `${SIDECAR_NAME} is missing (database copied from elsewhere?)` : null;
    } else if (sidecar.installId !== installId) reason = 'the database belongs to another install (restored or copied from another data dir)';
    else if (sidecar.machine !== this.machine) reason = 'the data dir was copied to another machine or path';
    else if (sidecar.prefix !== active.prefix) reason = `prefix ${active.prefix} in the database does not match ${sidecar.prefix} recorded in ${SIDECAR_NAME} (older backup?)`;

    if (!active || reason) {
      const tx = this.db.transaction(() => {
        const now = this.now();
        if (reason) {
          const id = newIdentity();
          this.db.prepare('UPDATE device_state SET install_id = ?, device_id = ? WHERE id = 1').run(id.installId, id.deviceId);
        }
        this.db.prepare(`UPDATE case_prefixes SET active = 0, retired_at = ?, retired_reason = ? WHERE active = 1`).run(now, reason ?? 'replaced');
        this.prefix = this.insertFreshProvisional(now);
      });
      tx.immediate();
      this.rotatedBecause = reason;
      this.writeSidecar(this.installId(), 0);
      return this.prefix;
    }
    this.prefix = active.prefix;
    this.reservedThrough = (sidecar as Sidecar).reservedThrough;
    if (this.reservedThrough >= active.next_seq) {
      this.db.prepare('UPDATE case_prefixes SET next_seq = ? WHERE prefix = ?').run(this.reservedThrough + 1, this.prefix);
    }
    return this.prefix;
  }

  private insertFreshProvisional(now: number): string {
    for (let i = 0; i < 10; i++) {
      const p = newProvisionalPrefix(this.random);
      const r = this.db.prepare(`INSERT OR IGNORE INTO case_prefixes (prefix, kind, next_seq, active, created_at) VALUES (?, 'provisional', 1, 1, ?)`).run(p, now);
      if (r.changes === 1) return p;
    }
    throw new StoreError('could not draw an unused provisional prefix');
  }

  /** Allocates the next case number. Call inside the ticket's transaction. */
  next(): string {
    const row = this.db.prepare('SELECT prefix, next_seq FROM case_prefixes WHERE active = 1').get() as { prefix: string; next_seq: number } | undefined;
    if (!row) throw new StoreError('no active case-number prefix');
    const seq = row.next_seq;
    if (seq > this.reservedThrough) this.writeSidecar(this.installId(), seq + this.block - 1);
    this.db.prepare('UPDATE case_prefixes SET next_seq = ? WHERE prefix = ?').run(seq + 1, row.prefix);
    return formatCaseNumber(row.prefix, seq);
  }

  /** Moves to a short prefix assigned by the server at enrolment. Numbers issued so far stay valid. */
  enrol(prefixInput: string): PrefixInfo {
    let prefix: string;
    try {
      prefix = normalizePrefix(prefixInput);
    } catch (e) {
      throw new ValidationError((e as Error).message, 'prefix');
    }
    if (prefixKind(prefix) !== 'enrolled') throw new ValidationError(`an enrolled prefix has 2-4 symbols, got "${prefix}"`, 'prefix');
    const used = this.db.prepare('SELECT 1 FROM case_prefixes WHERE prefix = ?').get(prefix);
    if (used) throw new ConflictError(`prefix ${prefix} was already used by this install; the server must assign a new one`);
    const now = this.now();
    const tx = this.db.transaction(() => {
      this.db.prepare(`UPDATE case_prefixes SET active = 0, retired_at = ?, retired_reason = 'enrolled' WHERE active = 1`).run(now);
      this.db.prepare(`INSERT INTO case_prefixes (prefix, kind, next_seq, active, created_at) VALUES (?, 'enrolled', 1, 1, ?)`).run(prefix, now);
    });
    tx.immediate();
    this.prefix = prefix;
    this.writeSidecar(this.installId(), 0);
    return this.list().find((p) => p.active) as PrefixInfo;
  }

  list(): PrefixInfo[] {
    return (this.db.prepare('SELECT * FROM case_prefixes ORDER BY created_at, prefix').all() as Record<string, unknown>[]).map((r) => ({
      prefix: r.prefix as string,
      kind: r.kind as 'provisional' | 'enrolled',
      nextSeq: r.next_seq as number,
      active: r.active === 1,
      createdAt: r.created_at as number,
      retiredAt: (r.retired_at as number | null) ?? null,
      retiredReason: (r.retired_reason as string | null) ?? null,
    }));
  }

  /** At a clean close: trim the reservation to what was actually issued. */
  close(): void {
    const row = this.db.prepare('SELECT next_seq FROM case_prefixes WHERE prefix = ?').get(this.prefix) as { next_seq: number } | undefined;
    if (row && row.next_seq - 1 < this.reservedThrough) this.writeSidecar(this.installId(), row.next_seq - 1);
  }
}
