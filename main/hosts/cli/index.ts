/**
 * The `vakt` command line. Each verb parses its own options and has `--help`; a verb's
 * module is loaded only when it runs (`vakt serve` does not load the sync server's).
 */
import { VERSION } from '../../app/version.js';
import type { Io } from './args.js';

// The verbs import these from ./args.js (not from here: this file imports the verbs).
export type { Io } from './args.js';
export { parseVerbArgs } from './args.js';

interface Verb {
  summary: string;
  run(argv: string[], io: Io): Promise<number>;
}

const verbs: Record<string, Verb> = {
  start: {
    summary: 'Run the app: Electron where it is installed, otherwise the browser shell.',
    run: async (argv, io) => (await import('./serve.js')).startCommand(argv, io),
  },
  serve: {
    summary: 'Run the browser shell without opening a window; prints the URL (with its secret) on stdout.',
    run: async (argv, io) => (await import('./serve.js')).serveCommand(argv, io),
  },
  sla: {
    summary: 'SLA engine: `sla eval` (JSON Lines in, results out) and `sla check FILE`.',
    run: async (argv, io) => (await import('./sla.js')).runSla(argv, io),
  },
  server: {
    summary: 'Run the central sync server (PGlite in --data-dir, or PostgreSQL with --database-url).',
    run: async (argv, io) => (await import('./server.js')).runServer(argv, io),
  },
  backup: {
    summary: 'Copy the local database to a backup file (consistent while the app runs).',
    run: async (argv, io) => (await import('./store.js')).runBackup(argv, io),
  },
  restore: {
    summary: 'Replace the local database with a backup file, keeping the current one.',
    run: async (argv, io) => (await import('./store.js')).runRestore(argv, io),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(verbs).map((v) => v.length));
  return [
    `vakt ${VERSION}: offline-first SLA desk for on-call duty officers and field technicians`,
    '',
    'Usage: vakt <command> [options]',
    '',
    'Commands:',
    ...Object.entries(verbs).map(([name, v]) => `  ${name.padEnd(width)}  ${v.summary}`),
    '',
    'Options:',
    '  --version  Print the version',
    '  --help     Print this help; `vakt <command> --help` for a command',
  ].join('\n');
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    io.stdout.write(usage() + '\n');
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version' || verb === '-v' || verb === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = verbs[verb];
  if (!command) {
    io.stderr.write(`vakt: unknown command "${verb}"\n\n${usage()}\n`);
    return 2;
  }
  return command.run(rest, io);
}
