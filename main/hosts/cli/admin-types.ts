/** The shape of a `vakt server admin` command (server-admin.ts runs them; each group is its own file). */
import type { ParseArgsConfig } from 'node:util';

export type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
export type Values = Record<string, string | boolean | undefined>;

/** The running server, reached with the admin token. */
export interface AdminClient {
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

export interface AdminCommand {
  summary: string;
  /** Usage line after `vakt server admin <group> <command>`. */
  args: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Option lines for --help. */
  help: string[];
  /** 'local': proven by the data dir (`--data-dir D`, server/admin-local.ts), not by an admin token. */
  auth?: 'local';
  run(values: Values, positionals: string[], client: AdminClient, io: Io): Promise<number>;
}

export class AdminError extends Error {}

export const iso = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString());
