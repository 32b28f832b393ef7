/** What every `vakt` verb shares: its streams and its option parsing. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Parses options for a verb; on bad input writes a clear message and returns null. */
export function parseVerbArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  verb: string,
  argv: string[],
  options: T,
  help: string,
  io: Io,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } | 'help' | null {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    const values = parsed.values as Record<string, string | boolean | undefined>;
    if (values.help) {
      io.stdout.write(help + '\n');
      return 'help';
    }
    return { values, positionals: parsed.positionals };
  } catch (err) {
    io.stderr.write(`vakt ${verb}: ${(err as Error).message}\n\n${help}\n`);
    return null;
  }
}
