/**
 * `vakt server admin tenant create|list` and `admin-token issue`: the server operator's commands,
 * across tenants. They prove access to the running server's data dir (`--data-dir D`: the proof
 * file the server writes there, server/admin-local.ts) instead of sending an admin token.
 */
import type { AdminCommand } from './admin-types.js';
import { AdminError, iso } from './admin-types.js';

interface TenantJson {
  id: string;
  name: string;
  createdAt: number;
  users: number;
  devices: number;
}

const tokenLines = (what: string, token: string): string[] => [
  `${what} It is shown only this once; store it safely:`,
  '',
  `  ADMIN TOKEN: ${token}`,
  '',
  'Use it with --token-file F or VAKT_ADMIN_TOKEN: `vakt server admin user create ...`, `enrolment-code create ...`.',
  '',
];

export const TENANT_GROUPS: Record<string, { summary: string; commands: Record<string, AdminCommand> }> = {
  tenant: {
    summary: 'Tenants (separate teams or customers on one server): proof of the data dir instead of a token',
    commands: {
      create: {
        summary: 'Create a tenant and its first admin token (a name already taken is refused); prints the token once',
        args: '--name NAME [--admin-name N] [--json]',
        auth: 'local',
        options: { name: { type: 'string' }, 'admin-name': { type: 'string' }, json: { type: 'boolean' } },
        help: ["--name NAME        The tenant's name (unique on the server, case aside)", '--admin-name N     The admin user\'s name (default "admin")', '--json             Print JSON'],
        async run(v, pos, client, io) {
          if (typeof v.name !== 'string' || pos.length) throw new AdminError('--name NAME is required (and nothing else)');
          const t = await client.call<{ tenantId: string; name: string; token: string }>('POST', '/v1/local/tenants', {
            name: v.name,
            ...(typeof v['admin-name'] === 'string' ? { adminName: v['admin-name'] } : {}),
          });
          io.stdout.write(v.json ? `${JSON.stringify(t)}\n` : tokenLines(`Created tenant ${t.tenantId} "${t.name}" with an admin token.`, t.token).join('\n'));
          return 0;
        },
      },
      list: {
        summary: "List the server's tenants",
        args: '[--json]',
        auth: 'local',
        options: { json: { type: 'boolean' } },
        help: ['--json             Print JSON'],
        async run(v, _pos, client, io) {
          const { tenants } = await client.call<{ tenants: TenantJson[] }>('GET', '/v1/local/tenants');
          if (v.json) io.stdout.write(`${JSON.stringify(tenants)}\n`);
          else if (!tenants.length) io.stdout.write('No tenants.\n');
          else for (const t of tenants) io.stdout.write(`${t.id}  ${t.name}  ${t.users} users  ${t.devices} active devices  created ${iso(t.createdAt)}\n`);
          return 0;
        },
      },
    },
  },
  'admin-token': {
    summary: 'A new admin token for a tenant (the old one lost): proof of the data dir instead of a token',
    commands: {
      issue: {
        summary: 'Issue a new admin token for a tenant (by id or name); prints it once. Revoke a lost one with `device revoke`',
        args: '--tenant ID|NAME [--json]',
        auth: 'local',
        options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
        help: ['--tenant ID|NAME   The tenant (see `tenant list`)', '--json             Print JSON'],
        async run(v, pos, client, io) {
          if (typeof v.tenant !== 'string' || pos.length) throw new AdminError('--tenant ID|NAME is required (and nothing else)');
          const t = await client.call<{ tenantId: string; tenantName: string; deviceId: string; token: string }>('POST', '/v1/local/admin-tokens', { tenant: v.tenant });
          io.stdout.write(v.json ? `${JSON.stringify(t)}\n` : tokenLines(`Issued an admin token (device ${t.deviceId}) for tenant ${t.tenantId} "${t.tenantName}".`, t.token).join('\n'));
          return 0;
        },
      },
    },
  },
};
