/**
 * `vakt server admin user|enrolment-code|device ...`: a tenant's people and devices, with the
 * tenant's admin token (server/admin-users.ts, and the enrolment and device routes of server/app.ts).
 */
import type { AdminCommand } from './admin-types.js';
import { ROLES } from '../../../core/sync/mutations.js';
import { AdminError, iso } from './admin-types.js';

interface UserJson {
  id: string;
  name: string;
  role: string;
  createdAt: number;
  devices: number;
}
interface DeviceJson {
  id: string;
  name: string;
  casePrefix: string | null;
  lastSeq: number;
  createdAt: number;
  revokedAt: number | null;
  userName: string;
  role: string;
}
interface CodeJson {
  code: string;
  userId: string;
  role: string;
  expiresAt: number;
}

const role = (v: string | boolean | undefined): string => {
  const r = typeof v === 'string' ? v : 'duty_officer';
  if (!(ROLES as readonly string[]).includes(r)) throw new AdminError(`--role must be one of ${ROLES.join(', ')}, got "${r}"`);
  return r;
};
const ttl = (v: string | boolean | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new AdminError(`--ttl must be a whole number of minutes, got "${String(v)}"`);
  return n;
};

export const PEOPLE_GROUPS: Record<string, { summary: string; commands: Record<string, AdminCommand> }> = {
  user: {
    summary: "The tenant's people and their roles",
    commands: {
      create: {
        summary: 'Create a user (then `enrolment-code create --user ID` for each of their devices)',
        args: '--name N [--role duty_officer|technician|admin] [--json]',
        options: { name: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } },
        help: ["--name N           The person's name (a technician's tickets are assigned to it)", '--role R           duty_officer (default), technician or admin', '--json             Print JSON'],
        async run(v, _pos, client, io) {
          if (typeof v.name !== 'string') throw new AdminError('--name N is required');
          const u = await client.call<UserJson>('POST', '/v1/admin/users', { name: v.name, role: role(v.role) });
          io.stdout.write(v.json ? `${JSON.stringify(u)}\n` : `Created user ${u.id} "${u.name}" (${u.role}).\n`);
          return 0;
        },
      },
      list: {
        summary: "List the tenant's users",
        args: '[--json]',
        options: { json: { type: 'boolean' } },
        help: ['--json             Print JSON'],
        async run(v, _pos, client, io) {
          const { users } = await client.call<{ users: UserJson[] }>('GET', '/v1/admin/users');
          if (v.json) io.stdout.write(`${JSON.stringify(users)}\n`);
          else for (const u of users) io.stdout.write(`${u.id}  ${u.role.padEnd(12)}  ${u.name}  ${u.devices} active devices  created ${iso(u.createdAt)}\n`);
          return 0;
        },
      },
    },
  },
  'enrolment-code': {
    summary: 'One-time codes that enrol a device (Settings > Sync on the device)',
    commands: {
      create: {
        summary: 'A code for an existing user (--user), or for a new one (--name, --role); prints it',
        args: '(--user ID | --name N [--role R]) [--ttl MIN] [--json]',
        options: { user: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, ttl: { type: 'string' }, json: { type: 'boolean' } },
        help: [
          '--user ID          An existing user (see `user list`)',
          '--name N           ... or a new user of that name',
          "--role R           The new user's role: duty_officer (default), technician or admin",
          '--ttl MIN          Valid for MIN minutes (default 1440, a day)',
          '--json             Print JSON',
        ],
        async run(v, _pos, client, io) {
          const minutes = ttl(v.ttl);
          const body = minutes === undefined ? {} : { ttlMinutes: minutes };
          let c: CodeJson;
          if (typeof v.user === 'string') {
            if (v.name !== undefined || v.role !== undefined) throw new AdminError('--user takes an existing user; --name and --role are for a new one, not both');
            c = await client.call<CodeJson>('POST', `/v1/admin/users/${encodeURIComponent(v.user)}/enrolment-codes`, body);
          } else if (typeof v.name === 'string') {
            c = await client.call<CodeJson>('POST', '/v1/admin/enrolment-codes', { userName: v.name, role: role(v.role), ...body });
          } else throw new AdminError('give --user ID (an existing user) or --name N (a new one)');
          io.stdout.write(v.json ? `${JSON.stringify(c)}\n` : `Enrolment code for user ${c.userId} (${c.role}), valid once until ${iso(c.expiresAt)}:\n\n  ${c.code}\n\n`);
          return 0;
        },
      },
    },
  },
  device: {
    summary: "The tenant's enrolled devices (and admin tokens)",
    commands: {
      list: {
        summary: 'List devices: id, state, user, role, name',
        args: '[--json]',
        options: { json: { type: 'boolean' } },
        help: ['--json             Print JSON'],
        async run(v, _pos, client, io) {
          const { devices } = await client.call<{ devices: DeviceJson[] }>('GET', '/v1/admin/devices');
          if (v.json) io.stdout.write(`${JSON.stringify(devices)}\n`);
          else
            for (const d of devices)
              io.stdout.write(
                `${d.id}  ${d.revokedAt === null ? 'active ' : 'revoked'}  ${d.userName} (${d.role})  "${d.name}"  enrolled ${iso(d.createdAt)}${d.revokedAt !== null ? `  revoked ${iso(d.revokedAt)}` : ''}\n`,
              );
          return 0;
        },
      },
      revoke: {
        summary: 'Revoke a device: its token gets 401 from then on (a lost laptop, a lost admin token)',
        args: 'ID',
        options: {},
        help: [],
        async run(_v, pos, client, io) {
          const id = pos[0];
          if (!id || pos.length > 1) throw new AdminError('give the id of one device (see `device list`)');
          await client.call('POST', `/v1/admin/devices/${encodeURIComponent(id)}/revoke`);
          io.stdout.write(`Revoked device ${id}.\n`);
          return 0;
        },
      },
    },
  },
};
