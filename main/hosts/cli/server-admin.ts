/**
 * `vakt server admin <group> <command>`: administration of a running sync
 * server over its HTTP API with an admin token (the server may run on PGlite,
 * whose data dir one process holds, so this never opens the database).
 * The token comes from `--token-file F` or `$VAKT_ADMIN_TOKEN`, never from the
 * command line (which every local user can read). Groups are listed in
 * `ADMIN_GROUPS`, each in its own file (admin-tenants.ts, admin-people.ts).
 * Commands marked `auth: 'local'` (tenants, a new admin token) prove instead
 * that the caller can read the server's data dir (`--data-dir D`).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { HEADER_PROTOCOL, HEADER_SCHEMA, LOCAL_PROOF_FILE, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../../core/sync/protocol.js';
import { AdminError, iso } from './admin-types.js';
import type { AdminClient, AdminCommand, Io, Values } from './admin-types.js';
import { PEOPLE_GROUPS } from './admin-people.js';
import { TENANT_GROUPS } from './admin-tenants.js';

interface KeyJson {
  id: string;
  name: string;
  contractId: string;
  serviceId: string;
  checkUrl: string | null;
  checkEveryMinutes: number | null;
  createdAt: number;
  revokedAt: number | null;
}

export const ADMIN_GROUPS: Record<string, { summary: string; commands: Record<string, AdminCommand> }> = {
  'integration-key': {
    summary: 'Keys monitoring tools (Alertmanager, Events API v2) send outages with, one per service',
    commands: {
      create: {
        summary: 'Create a key for a service of a contract; prints it once',
        args: '--contract ID --service ID [--name N] [--check-url URL [--check-every MIN]] [--json]',
        options: { contract: { type: 'string' }, service: { type: 'string' }, name: { type: 'string' }, 'check-url': { type: 'string' }, 'check-every': { type: 'string' }, json: { type: 'boolean' } },
        help: [
          '--contract ID      The contract (its id, as synced to the server)',
          '--service ID       One of the contract\'s services (its "services" section)',
          '--name N           What the key is for (default "<service> monitoring")',
          '--check-url URL    The server itself checks this URL (GET; 2xx/3xx is up) ...',
          '--check-every MIN  ... every MIN minutes (default 15)',
          '--json             Print the key as JSON',
        ],
        async run(v, _pos, client, io) {
          if (typeof v.contract !== 'string' || typeof v.service !== 'string') throw new AdminError('--contract and --service are required');
          const every = v['check-every'] === undefined ? undefined : Number(v['check-every']);
          if (every !== undefined && !Number.isInteger(every)) throw new AdminError(`--check-every must be a whole number of minutes, got "${String(v['check-every'])}"`);
          const k = await client.call<KeyJson & { key: string }>('POST', '/v1/admin/integration-keys', {
            name: typeof v.name === 'string' ? v.name : `${v.service} monitoring`,
            contractId: v.contract,
            serviceId: v.service,
            ...(typeof v['check-url'] === 'string' ? { checkUrl: v['check-url'] } : {}),
            ...(every !== undefined ? { checkEveryMinutes: every } : {}),
          });
          if (v.json) io.stdout.write(`${JSON.stringify(k)}\n`);
          else
            io.stdout.write(
              [
                `Created integration key ${k.id} "${k.name}" for service ${k.serviceId} of contract ${k.contractId}.`,
                k.checkUrl ? `The server checks ${k.checkUrl} every ${k.checkEveryMinutes} minutes.` : '',
                'It is shown only this once; store it safely:',
                '',
                `  INTEGRATION KEY: ${k.key}`,
                '',
                'Alertmanager: webhook_configs url .../v1/integrations/alertmanager with http_config authorization credentials = the key.',
                'Events API v2: POST .../v1/integrations/events with "routing_key" = the key.',
                '',
              ]
                .filter((l, i) => l !== '' || i > 1)
                .join('\n'),
            );
          return 0;
        },
      },
      list: {
        summary: "List the tenant's integration keys (never the keys themselves)",
        args: '[--json]',
        options: { json: { type: 'boolean' } },
        help: ['--json  Print JSON'],
        async run(v, _pos, client, io) {
          const { items } = await client.call<{ items: KeyJson[] }>('GET', '/v1/admin/integration-keys');
          if (v.json) io.stdout.write(`${JSON.stringify(items)}\n`);
          else if (!items.length) io.stdout.write('No integration keys.\n');
          else
            for (const k of items)
              io.stdout.write(
                `${k.id}  ${k.revokedAt === null ? 'active ' : 'revoked'}  ${k.serviceId}  ${k.name}  created ${iso(k.createdAt)}${k.revokedAt !== null ? `  revoked ${iso(k.revokedAt)}` : ''}${k.checkUrl ? `  checks ${k.checkUrl} every ${k.checkEveryMinutes} min` : ''}\n`,
              );
          return 0;
        },
      },
      revoke: {
        summary: 'Revoke a key: the tool using it gets 401 from then on',
        args: 'ID',
        options: {},
        help: [],
        async run(_v, pos, client, io) {
          const id = pos[0];
          if (!id || pos.length > 1) throw new AdminError('give the id of one key (see `list`)');
          const k = await client.call<KeyJson>('POST', `/v1/admin/integration-keys/${encodeURIComponent(id)}/revoke`);
          io.stdout.write(`Revoked integration key ${k.id} "${k.name}" (${iso(k.revokedAt)}).\n`);
          return 0;
        },
      },
    },
  },
  ...TENANT_GROUPS,
  ...PEOPLE_GROUPS,
};

const COMMON_HELP = ['--server URL       The sync server (default $VAKT_SERVER_URL, else http://127.0.0.1:8787)', '--token-file F     A file holding an admin token (default: $VAKT_ADMIN_TOKEN)'];

const LOCAL_HELP = "--data-dir D        The running server's data dir (tenant, admin-token: proof of access instead of a token; default $VAKT_SERVER_DATA_DIR)";

export function adminUsage(): string {
  const lines = ['Usage: vakt server admin <group> <command> [options]', '', 'Administers a running sync server with an admin token. Groups:', ''];
  for (const [g, grp] of Object.entries(ADMIN_GROUPS)) {
    lines.push(`  ${g}: ${grp.summary}`);
    for (const [c, cmd] of Object.entries(grp.commands)) lines.push(`    ${c} ${cmd.args}`, `        ${cmd.summary}`);
  }
  lines.push('', 'Options of every command:', ...[...COMMON_HELP, LOCAL_HELP].map((l) => `  ${l}`), '', '`vakt server admin <group> <command> --help` for one command.');
  return lines.join('\n');
}

/** The proof the server wrote into its data dir (server/admin-local.ts): only who can read the data dir has it. */
async function localProof(v: Values, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = typeof v['data-dir'] === 'string' ? v['data-dir'] : env.VAKT_SERVER_DATA_DIR;
  if (!dir) throw new AdminError("--data-dir D is required: the running server's data dir (this command proves access to it instead of an admin token)");
  const file = path.join(dir, LOCAL_PROOF_FILE);
  const t = (
    await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new AdminError(
        e.code === 'ENOENT'
          ? `no server runs on ${dir} (${file} is missing; it exists while \`vakt server --data-dir ${dir}\` runs)`
          : `cannot read ${file}: ${e.message} (run this as the user the server runs as)`,
      );
    })
  ).trim();
  return t;
}

async function tokenFrom(v: Values, env: NodeJS.ProcessEnv): Promise<string> {
  if (typeof v['token-file'] === 'string') {
    const t = (
      await readFile(v['token-file'], 'utf8').catch((e: Error) => {
        throw new AdminError(`--token-file: cannot read ${v['token-file'] as string}: ${e.message}`);
      })
    ).trim();
    if (!t) throw new AdminError(`--token-file: ${v['token-file'] as string} is empty`);
    return t;
  }
  const t = env.VAKT_ADMIN_TOKEN?.trim();
  if (!t) throw new AdminError('an admin token is needed: --token-file F, or VAKT_ADMIN_TOKEN (the token `vakt server` printed at its first start)');
  return t;
}

function httpClient(base: string, token: string): AdminClient {
  return {
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      let r: Response;
      try {
        r = await fetch(new URL(path, base), {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            [HEADER_PROTOCOL]: String(PROTOCOL_VERSION),
            [HEADER_SCHEMA]: String(SCHEMA_VERSION),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (e) {
        throw new AdminError(`cannot reach the server at ${base}: ${(e as Error).message}`);
      }
      const j = (await r.json().catch(() => ({}))) as { message?: string; error?: string };
      if (!r.ok) throw new AdminError(`the server answered ${r.status}: ${j.message ?? j.error ?? r.statusText}`);
      return j as T;
    },
  };
}

export async function runServerAdmin(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [group, command, ...rest] = argv;
  if (!group || group === '--help' || group === '-h') {
    io.stdout.write(`${adminUsage()}\n`);
    return group ? 0 : 2;
  }
  const grp = ADMIN_GROUPS[group];
  const cmd = grp && command ? grp.commands[command] : undefined;
  if (!grp || !cmd) {
    io.stderr.write(`vakt server admin: unknown ${grp ? `command "${command ?? ''}" of ${group}` : `group "${group}"`}\n\n${adminUsage()}\n`);
    return 2;
  }
  const common = cmd.auth === 'local' ? [COMMON_HELP[0] as string, LOCAL_HELP] : COMMON_HELP;
  const help = [`Usage: vakt server admin ${group} ${command} ${cmd.args}`, '', cmd.summary, '', 'Options:', ...[...cmd.help, ...common].map((l) => `  ${l}`)].join('\n');
  let parsed;
  try {
    const auth: NonNullable<ParseArgsConfig['options']> = cmd.auth === 'local' ? { 'data-dir': { type: 'string' } } : { 'token-file': { type: 'string' } };
    parsed = parseArgs({ args: rest, options: { ...cmd.options, server: { type: 'string' }, ...auth, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr.write(`vakt server admin ${group} ${command}: ${(e as Error).message}\n\n${help}\n`);
    return 2;
  }
  const v = parsed.values as Values;
  if (v.help) {
    io.stdout.write(`${help}\n`);
    return 0;
  }
  try {
    const base = (typeof v.server === 'string' ? v.server : undefined) ?? env.VAKT_SERVER_URL ?? 'http://127.0.0.1:8787';
    const secret = cmd.auth === 'local' ? await localProof(v, env) : await tokenFrom(v, env);
    return await cmd.run(v, parsed.positionals, httpClient(base, secret), io);
  } catch (e) {
    if (!(e instanceof AdminError)) throw e;
    io.stderr.write(`vakt server admin ${group} ${command}: ${e.message}\n`);
    return 1;
  }
}
