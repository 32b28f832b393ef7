/** `vakt backup` and `vakt restore`. */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { Clock } from '../../../core/clock.js';
import { backupDataDir, restoreDataDir } from '../../../db/backup.js';
import { systemClock } from '../../../db/system-time.js';
import { listBackups } from '../../../db/files.js';
import { defaultDataDir } from '../../app/paths.js';

interface Out {
  write(s: string): unknown;
}
export interface StoreIo {
  stdout: Out;
  stderr: Out;
}

const BACKUP_HELP = `Usage: vakt backup [--data-dir D] [--to FILE]

Writes a consistent copy of the database (safe while Vakt is running).

Options:
  --data-dir D  Where the data lives (default: ${defaultDataDir()})
  --to FILE     Where to write the copy (must not exist; default: a new file in D/backups/)`;

const RESTORE_HELP = `Usage: vakt restore FILE [--data-dir D]

Replaces the database with FILE after checking it (integrity_check, and that
it is a Vakt database this version can open, with its schema). A FILE-wal
beside FILE is applied to a copy first; FILE is never written to. The current
database is first copied into D/backups/, so nothing is lost. Refused while
Vakt (or anything else) runs on D: stop it first.

Options:
  --data-dir D  Where the data lives (default: ${defaultDataDir()})`;

function parse(verb: string, argv: string[], options: Record<string, { type: 'string' }>, help: string, io: StoreIo) {
  try {
    const p = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (p.values.help) {
      io.stdout.write(help + '\n');
      return 'help' as const;
    }
    return { values: p.values as Record<string, string | undefined>, positionals: p.positionals };
  } catch (e) {
    io.stderr.write(`vakt ${verb}: ${(e as Error).message}\n\n${help}\n`);
    return null;
  }
}

export async function runBackup(argv: string[], io: StoreIo, clock: Clock = systemClock): Promise<number> {
  const p = parse('backup', argv, { 'data-dir': { type: 'string' }, to: { type: 'string' } }, BACKUP_HELP, io);
  if (p === 'help') return 0;
  if (p === null) return 2;
  if (p.positionals.length) {
    io.stderr.write(`vakt backup: unexpected argument "${p.positionals[0]}"\n\n${BACKUP_HELP}\n`);
    return 2;
  }
  const dataDir = resolve(p.values['data-dir'] ?? defaultDataDir());
  try {
    const file = backupDataDir(dataDir, clock, p.values.to ? resolve(p.values.to) : undefined);
    io.stdout.write(`${file}\n`);
    return 0;
  } catch (e) {
    io.stderr.write(`vakt backup: ${(e as Error).message}\n`);
    return 1;
  }
}

export async function runRestore(argv: string[], io: StoreIo, clock: Clock = systemClock): Promise<number> {
  const p = parse('restore', argv, { 'data-dir': { type: 'string' } }, RESTORE_HELP, io);
  if (p === 'help') return 0;
  if (p === null) return 2;
  const dataDir = resolve(p.values['data-dir'] ?? defaultDataDir());
  if (p.positionals.length !== 1) {
    const backups = listBackups(dataDir);
    io.stderr.write(
      `vakt restore: give exactly one FILE to restore\n\n${RESTORE_HELP}\n` + (backups.length ? `\nBackups in ${dataDir}, newest first:\n${backups.map((b) => `  ${b}`).join('\n')}\n` : ''),
    );
    return 2;
  }
  try {
    const r = restoreDataDir(resolve(p.positionals[0] as string), dataDir, clock);
    io.stdout.write(
      `Restored ${r.restored.file} (schema version ${r.restored.version}, ${r.restored.tickets} tickets) into ${dataDir}.\n` +
        (r.previousKeptAt ? `The previous database was kept at ${r.previousKeptAt}\n` : ''),
    );
    return 0;
  } catch (e) {
    io.stderr.write(`vakt restore: ${(e as Error).message}\nNothing was changed.\n`);
    return 1;
  }
}
