/**
 * The sync server process: `node dist/server/main.js --data-dir D --port P [--database-url URL]`.
 * `vakt server` (main/hosts/cli/server.ts) runs this file as a child process
 * (main/ may not import server/). Runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../core/sync/protocol.js';
import { startServer } from './start.js';

export const SERVER_HELP = `Usage: vakt server --data-dir D [--port P] [--host H] [--database-url URL] [--trust-proxy V] [--bootstrap] [--tenant NAME]

Runs the central sync server. Without --database-url (or DATABASE_URL) it
uses embedded PostgreSQL (PGlite) in D/pg, so it needs no setup. Attachments
are kept in D/attachments either way.

On the first start (no tenant yet) it creates a tenant and prints an admin
token ONCE on stdout; keep it. --bootstrap creates another tenant + admin
token even when tenants exist. Runs until Ctrl-C or SIGTERM.

Options:
  --data-dir D        Where the server keeps its data (required)
  --port P            TCP port (default 8787; 0 picks a free one)
  --host H            Address to listen on (default 127.0.0.1; put a TLS proxy in front for others)
  --database-url URL  PostgreSQL connection string (default: $DATABASE_URL, else PGlite)
  --trust-proxy V     Behind a proxy: believe its X-Forwarded-For for the client's address
                      (rate limits are per client). V: the proxy's addresses/CIDRs
                      (comma-separated), a hop count, or "true" (any). Default: not trusted
  --bootstrap         Create a new tenant and print its admin token
  --tenant NAME       Name of the tenant that is created (default "default")
  --log-level L       fatal|error|warn|info|debug (default info; logs are JSON on stderr)`;

/** The start hint: commands that work as written (every /v1 call needs the version headers). */
export function firstSteps(url: string, token: string): string[] {
  return [
    'Keep it in a file only you can read:',
    '',
    `  (umask 077; echo '${token}' > admin-token)`,
    '',
    'A first request (every /v1 call needs the version headers):',
    '',
    `  curl -H '${HEADER_PROTOCOL}: ${PROTOCOL_VERSION}' -H '${HEADER_SCHEMA}: ${SCHEMA_VERSION}' -H "authorization: Bearer $(cat admin-token)" ${url}/v1/me`,
    '',
    "Enrol a device: make a code, then enter it with this server's address in the app's Sync panel (click the sync status):",
    '',
    `  vakt server admin enrolment-code create --name 'First Officer' --role duty_officer --token-file admin-token --server ${url}`,
    '',
    'More: vakt server admin --help (users, devices, tenants, admin tokens); docs/sync.md.',
    '',
  ];
}

export interface ServerIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function serverMain(argv: string[], io: ServerIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'database-url': { type: 'string' },
        'trust-proxy': { type: 'string' },
        bootstrap: { type: 'boolean' },
        tenant: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr.write(`vakt server: ${(e as Error).message}\n\n${SERVER_HELP}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`${SERVER_HELP}\n`);
    return 0;
  }
  const dataDir = values['data-dir'] as string | undefined;
  if (!dataDir) {
    io.stderr.write(`vakt server: --data-dir is required\n\n${SERVER_HELP}\n`);
    return 2;
  }
  const port = Number(values.port ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr.write(`vakt server: --port must be a whole number from 0 to 65535, got "${String(values.port)}"\n`);
    return 2;
  }
  const databaseUrl = (values['database-url'] as string | undefined) ?? env.DATABASE_URL ?? null;
  const tp = values['trust-proxy'] as string | undefined;
  const trustProxy = tp === undefined ? undefined : tp === 'true' ? true : /^\d+$/.test(tp) ? Number(tp) : tp;
  const delay = Number(env.VAKT_TEST_PUSH_DELAY_MS ?? 0);
  const afterDelay = Number(env.VAKT_TEST_PUSH_REPLY_DELAY_MS ?? 0);
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  let server;
  try {
    server = await startServer({
      dataDir,
      port,
      host: (values.host as string | undefined) ?? '127.0.0.1',
      databaseUrl,
      ...(trustProxy !== undefined ? { trustProxy } : {}),
      bootstrap: Boolean(values.bootstrap),
      bootstrapTenant: (values.tenant as string | undefined) ?? 'default',
      logger: { level: (values['log-level'] as string | undefined) ?? 'info', stream: io.stderr },
      // Load tests on loopback only: every device comes from 127.0.0.1.
      ...(env.VAKT_RATE_LIMIT === 'off' ? { rateLimit: false as const } : {}),
      // Crash tests: each hook says on stdout that it was reached, then holds the push.
      ...(delay > 0 ? { beforePushCommit: () => (io.stdout.write('test hook: push before commit\n'), sleep(delay)) } : {}),
      ...(afterDelay > 0 ? { afterPushCommit: () => (io.stdout.write('test hook: push committed\n'), sleep(afterDelay)) } : {}),
    });
  } catch (e) {
    io.stderr.write(`vakt server: could not start: ${(e as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`Vakt sync server listening on ${server.url} (database: ${server.db.kind === 'pglite' ? `embedded PGlite in ${dataDir}/pg` : 'PostgreSQL'})\n`);
  if (server.bootstrapped) {
    io.stdout.write(
      [
        '',
        `Created tenant ${server.bootstrapped.tenantId} with an admin token. It is shown only this once; store it safely:`,
        '',
        `  ADMIN TOKEN: ${server.bootstrapped.token}`,
        '',
        ...firstSteps(server.url, server.bootstrapped.token),
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.stdout.write('Stopping the sync server...\n');
  await server.close();
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  serverMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`vakt server: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
