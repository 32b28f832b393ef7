import { PassThrough, Readable } from 'node:stream';
import { runSla } from '../../../main/hosts/cli/sla.js';

/** Runs `vakt sla ARGV` in-process with STDIN; returns the exit status and both outputs. */
export async function sla(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runSla(argv, { stdin: Readable.from(stdin ? [stdin] : []), stdout, stderr });
  return { code, out, err };
}
