import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering rule', () => {
  it('lets core import nothing of ours and no Node built-ins', async () => {
    expect(await lint('core/x.ts', "import { a } from '../db/index.js';\nexport const b = a;\n")).toEqual([expect.stringContaining('core/ may not import db/')]);
    expect(await lint('core/x.ts', "import { readFileSync } from 'node:fs';\nexport const b = readFileSync;\n")).toEqual([expect.stringContaining('no Node built-ins')]);
    expect(await lint('core/x.ts', "import { DateTime } from 'luxon';\nexport const b = DateTime;\n")).toEqual([]);
  });

  it('lets db import core but not main', async () => {
    expect(await lint('db/x.ts', "import { a } from '../core/clock.js';\nexport const b = a;\n")).toEqual([]);
    expect(await lint('db/x.ts', "import { a } from '../main/services.js';\nexport const b = a;\n")).toEqual([expect.stringContaining('db/ may not import main/')]);
  });

  it('lets the renderer and preload see core types only', async () => {
    expect(await lint('renderer/x.ts', "import type { Method } from '../core/api/contract.js';\nexport type M = Method;\n")).toEqual([]);
    expect(await lint('renderer/x.ts', "import { evaluateTicket } from '../core/sla/index.js';\nexport const m = evaluateTicket;\n")).toEqual([expect.stringContaining('only with `import type`')]);
    // the contract's zod schemas (forms) and the domain's vocabulary are values the renderer may use
    expect(await lint('renderer/x.ts', "import { methods } from '../core/api/contract.js';\nexport const m = methods;\n")).toEqual([]);
    expect(await lint('renderer/views/X/x.ts', "import { TICKET_STATUSES } from '../../../core/domain/index.js';\nexport const m = TICKET_STATUSES;\n")).toEqual([]);
    expect(await lint('renderer/x.ts', "import { x } from '../db/index.js';\nexport const m = x;\n")).toEqual([expect.stringContaining('renderer/ may not import db/')]);
    expect(await lint('preload/x.ts', "import { methods } from '../core/api/contract.js';\nexport const m = methods;\n")).toEqual([expect.stringContaining('only with `import type`')]);
  });

  it('keeps electron in main/electron and preload', async () => {
    expect(await lint('main/services2.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([expect.stringContaining('thin adapters')]);
    expect(await lint('main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await lint('server/x.ts', "const e = require('electron');\nexport default e;\n")).toEqual([expect.stringContaining('thin adapters')]);
  });

  it('forbids the wall clock in core and db', async () => {
    expect(await lint('core/x.ts', 'export const t = Date.now();\n')).toEqual([expect.stringContaining('injected Clock')]);
    expect(await lint('db/x.ts', 'export const t = new Date();\n')).toEqual([expect.stringContaining('injected Clock')]);
    expect(await lint('core/x.ts', 'export const t = new Date(5);\n')).toEqual([]);
  });
});
