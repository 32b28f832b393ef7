/**
 * `vakt sla`: batch evaluation (`eval`, JSON Lines stdin -> stdout) and
 * contract checking (`check FILE`). The engine is core/sla.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { CalendarCache, checkContract, evalLine, formatIssue } from '../../../core/sla/index.js';
import { INSTANT_RANGE_TEXT } from '../../../core/time-range.js';
import type { Io } from './args.js';

const HELP = `Usage: vakt sla <command> [options]

SLA clock tools (see docs/sla-engine.md).

Commands:
  eval [--explain] [--schedule]  Evaluate cases: one JSON case per line on stdin, one result per line on stdout
  check FILE...                  Check contract files ({ "calendars", "policies" }); exit 1 on any error

Run \`vakt sla <command> --help\` for details.`;

const EVAL_HELP = `Usage: vakt sla eval [--explain] [--schedule] < cases.jsonl > results.jsonl

Reads one case per line (JSON: {"id"?, "calendars", "policies", "events", "now"})
and writes one result per line, in the same order, as each line is read:
  {"id", "targets": [{"metric","state","dueAt","stoppedAt","breached","elapsedMinutes","remainingMinutes", "missed"?}]}
A bad case gets {"id"?, "error": {"code", "message"}} with code invalid_json,
invalid_calendar, invalid_policy or invalid_events; the other cases still run.
Blank lines are skipped. Instants are UTC ISO-8601 with milliseconds and Z.
Events' "at" and "now" must be ${INSTANT_RANGE_TEXT}
(invalid_events otherwise); a deadline past that range is null.

Options:
  --explain   Add a "trace" to each target: the stretches that counted, were
              closed, paused or resolved, and the rules that set the deadline
  --schedule  Add "warnAt" to each target and "nextChangeAt" to each result
  -h, --help  Print this help

Exit status: 0 when the batch ran (bad cases are reported in their result
lines), 2 on a usage error.`;

const CHECK_HELP = `Usage: vakt sla check FILE...

Checks contract files: {"calendars": {...}, "policies": {...}, "name"?, "description"?, "wording"?}.
Prints each problem as "FILE: path: message" on stderr and exits 1 when there
is any; prints "FILE: ok (N calendars, M policies)" otherwise. FILE "-" reads stdin.

Options:
  -h, --help  Print this help`;

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else stream.once('drain', () => resolve());
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function runEval(argv: string[], io: Io): Promise<number> {
  let explain = false;
  let schedule = false;
  for (const a of argv) {
    if (a === '--help' || a === '-h') {
      await write(io.stdout, EVAL_HELP + '\n');
      return 0;
    }
    if (a === '--explain') explain = true;
    else if (a === '--schedule') schedule = true;
    else {
      await write(io.stderr, `vakt sla eval: unknown option "${a}"\n\n${EVAL_HELP}\n`);
      return 2;
    }
  }
  const cache = new CalendarCache(1024);
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    let out: string;
    try {
      const res = evalLine(line, { explain, schedule, cache, line: n });
      out = JSON.stringify(res);
    } catch (e) {
      // an engine bug must not stop the batch; report it on the line
      out = JSON.stringify({ error: { code: 'internal', message: (e as Error).message } });
    }
    await write(io.stdout, out + '\n');
  }
  return 0;
}

async function runCheck(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    await write(io.stdout, CHECK_HELP + '\n');
    return 0;
  }
  const unknown = argv.find((a) => a.startsWith('-') && a !== '-');
  if (unknown) {
    await write(io.stderr, `vakt sla check: unknown option "${unknown}"\n\n${CHECK_HELP}\n`);
    return 2;
  }
  if (argv.length === 0) {
    await write(io.stderr, `vakt sla check: name a contract file\n\n${CHECK_HELP}\n`);
    return 2;
  }
  let bad = false;
  for (const file of argv) {
    let text: string;
    try {
      text = file === '-' ? await readAll(io.stdin) : await readFile(file, 'utf8');
    } catch (e) {
      await write(io.stderr, `${file}: cannot read: ${(e as Error).message}\n`);
      bad = true;
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      await write(io.stderr, `${file}: invalid JSON: ${(e as Error).message}\n`);
      bad = true;
      continue;
    }
    const issues = checkContract(json);
    if (issues.length) {
      bad = true;
      for (const i of issues) await write(io.stderr, `${file}: ${formatIssue(i)}\n`);
    } else {
      const o = json as { calendars: object; policies: object };
      await write(io.stdout, `${file}: ok (${Object.keys(o.calendars).length} calendars, ${Object.keys(o.policies).length} policies)\n`);
    }
  }
  return bad ? 1 : 0;
}

/** `vakt sla ...`; returns the exit status. */
export async function runSla(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    await write(io.stdout, HELP + '\n');
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === 'eval') return runEval(rest, io);
  if (cmd === 'check') return runCheck(rest, io);
  await write(io.stderr, `vakt sla: unknown command "${cmd}"\n\n${HELP}\n`);
  return 2;
}
