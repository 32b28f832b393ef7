/**
 * `vakt server`: runs the central sync server (server/main.ts) as a child
 * process -- main/ may not import server/ (layering), and the server is its
 * own process anyway. Output is passed through; SIGINT/SIGTERM are forwarded;
 * resolves with the server's exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runServerAdmin } from './server-admin.js';

export const SERVER_USAGE = `Usage: vakt server --data-dir D [--port P] [--host H] [--database-url URL] [--trust-proxy V] [--bootstrap] [--tenant NAME]

Runs the central sync server (PostgreSQL via --database-url / DATABASE_URL,
else embedded PGlite in D/pg). On the first start it prints an admin token
once. Runs until Ctrl-C or SIGTERM. One process per data dir: a second
server, or --bootstrap, on a data dir a server runs on is refused (stop it
first). See docs/sync.md.

Options:
  --data-dir D        Where the server keeps its data (required)
  --port P            TCP port (default 8787; 0 picks a free one)
  --host H            Address to listen on (default 127.0.0.1)
  --database-url URL  PostgreSQL connection string (default: $DATABASE_URL, else PGlite)
  --trust-proxy V     Behind a proxy: believe its X-Forwarded-For for the client's address
                      (rate limits are per client). V: the proxy's addresses/CIDRs
                      (comma-separated), a hop count, or "true" (any). Default: not trusted
  --bootstrap         Create a new tenant and print its admin token
  --tenant NAME       Name of the tenant that is created (default "default")
  --log-level L       fatal|error|warn|info|debug (default info; JSON logs on stderr)

       vakt server admin <group> <command> ...   administer a running server: tenant, admin-token, user, enrolment-code,
                                                 device, integration-key (see vakt server admin --help)`;

/** The server entry: built JS next to us in dist/, or the TypeScript source (run through tsx) in a checkout. */
export function serverEntry(): { file: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('../../../server/main.js', import.meta.url));
  if (existsSync(js)) return { file: js, execArgv: [] };
  const ts = fileURLToPath(new URL('../../../server/main.ts', import.meta.url));
  return { file: ts, execArgv: ['--import', 'tsx'] };
}

export async function runServer(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  if (argv[0] === 'admin') return runServerAdmin(argv.slice(1), io);
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${SERVER_USAGE}\n`);
    return 0;
  }
  const entry = serverEntry();
  const child = spawn(process.execPath, [...entry.execArgv, entry.file, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  child.stdout.pipe(io.stdout, { end: false });
  child.stderr.pipe(io.stderr, { end: false });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve) => {
      child.on('error', (e) => {
        io.stderr.write(`vakt server: could not start the server process: ${e.message}\n`);
        resolve(1);
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : 15) : 1)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
