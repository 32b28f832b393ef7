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
    expect(await lint('db/x.ts', "import { a } from '../main/app/services.js';\nexport const b = a;\n")).toEqual([expect.stringContaining('db/ may not import main/')]);
  });

  it('lets the renderer and preload see core types only', async () => {
    expect(await lint('renderer/x.ts', "import type { Method } from '../core/api/contract.js';\nexport type M = Method;\n")).toEqual([]);
    expect(await lint('renderer/x.ts', "import { evaluateTicket } from '../core/sla/index.js';\nexport const m = evaluateTicket;\n")).toEqual([expect.stringContaining('only with `import type`')]);
    // the contract's zod schemas (forms) and the domain's vocabulary are values the renderer may use
    expect(await lint('renderer/x.ts', "import { methods } from '../core/api/contract.js';\nexport const m = methods;\n")).toEqual([]);
    expect(await lint('renderer/views/X/x.ts', "import { TICKET_STATUSES } from '../../../core/domain/index.js';\nexport const m = TICKET_STATUSES;\n")).toEqual([]);
    expect(await lint('renderer/x.ts', "import { x } from '../db/index.js';\nexport const m = x;\n")).toEqual([expect.stringContaining('renderer/ may not import db/')]);
    expect(await lint('preload/x.ts', "import { TICKET_STATUSES } from '../core/domain/index.js';\nexport const m = TICKET_STATUSES;\n")).toEqual([expect.stringContaining('only with `import type`')]);
    expect(await lint('preload/x.ts', "import { methods } from '../core/api/contract.js';\nexport const m = methods;\n")).toEqual([expect.stringContaining('only with `import type`')]);
  });

  it('lets the renderer import values from core/domain only', async () => {
    expect(await lint('renderer/x.ts', "import { TICKET_STATUSES } from '../core/domain/index.js';\nexport const s = TICKET_STATUSES;\n")).toEqual([]);
    expect(await lint('renderer/views/x.ts', "import { isOpenStatus } from '../../core/domain/ticket-status.js';\nexport const s = isOpenStatus;\n")).toEqual([]);
    expect(await lint('renderer/x.ts', "import { systemClock } from '../core/clock.js';\nexport const s = systemClock;\n")).toEqual([expect.stringContaining('only with `import type`')]);
    expect(await lint('renderer/x.ts', "import { x } from '../core/domainx.js';\nexport const s = x;\n")).toEqual([expect.stringContaining('only with `import type`')]);
  });

  it('keeps electron in main/hosts/electron and preload', async () => {
    expect(await lint('main/services2.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([expect.stringContaining('thin adapters')]);
    expect(await lint('main/hosts/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await lint('server/x.ts', "const e = require('electron');\nexport default e;\n")).toEqual([expect.stringContaining('thin adapters')]);
  });

  it('forbids the wall clock in core and db', async () => {
    expect(await lint('core/x.ts', 'export const t = Date.now();\n')).toEqual([expect.stringContaining('injected Clock')]);
    expect(await lint('db/x.ts', 'export const t = new Date();\n')).toEqual([expect.stringContaining('injected Clock')]);
    expect(await lint('core/x.ts', 'export const t = new Date(5);\n')).toEqual([]);
    expect(await lint('db/system-time.ts', 'export const t = Date.now();\n')).toEqual([]);
  });
});

describe('main/ areas (eslint/main-areas.js)', () => {
  const value = (spec: string) => `import { a } from '${spec}';\nexport const b = a;\n`;
  const type = (spec: string) => `import type { A } from '${spec}';\nexport type B = A;\n`;
  const refused = (from: string, to: string) => [expect.stringMatching(new RegExp(`${from} may not import ${to}`))];

  it('app wires everything but the hosts', async () => {
    expect(await lint('main/app/x.ts', value('../handlers/desk/handlers.js'))).toEqual([]);
    expect(await lint('main/app/x.ts', value('../alerts/service.js'))).toEqual([]);
    expect(await lint('main/app/x.ts', value('../hosts/http/shell.js'))).toEqual(refused('main/app/', 'main/hosts/http/'));
  });

  it('api sees core, and db types only', async () => {
    expect(await lint('main/api/x.ts', value('../../core/api/contract.js'))).toEqual([]);
    expect(await lint('main/api/x.ts', type('../../db/client.js'))).toEqual([]);
    expect(await lint('main/api/x.ts', value('../../db/client.js'))).toEqual([expect.stringContaining('types only')]);
    expect(await lint('main/api/x.ts', type('../app/context.js'))).toEqual(refused('main/api/', 'main/app/'));
  });

  it('a handler area sees api, services and the context type, and no other handler area', async () => {
    expect(await lint('main/handlers/desk/x.ts', value('../../tickets/views.js'))).toEqual([]);
    expect(await lint('main/handlers/desk/x.ts', value('./act.js'))).toEqual([]);
    expect(await lint('main/handlers/desk/x.ts', type('../../app/context.js'))).toEqual([]);
    expect(await lint('main/handlers/desk/x.ts', value('../../app/services.js'))).toEqual([expect.stringContaining('types only')]);
    expect(await lint('main/handlers/field/x.ts', value('../desk/handlers.js'))).toEqual([expect.stringContaining('no other handler area')]);
    expect(await lint('main/handlers/field/x.ts', value('../../hosts/cli/index.js'))).toEqual(refused('main/handlers/field/', 'main/hosts/cli/'));
  });

  it('hosts see app, api, services and each other, not the handlers', async () => {
    expect(await lint('main/hosts/http/x.ts', value('../../app/services.js'))).toEqual([]);
    expect(await lint('main/hosts/electron/x.ts', value('../http/shell.js'))).toEqual([]);
    expect(await lint('main/hosts/http/x.ts', value('../../handlers/desk/handlers.js'))).toEqual(refused('main/hosts/http/', 'main/handlers/desk/'));
  });

  it('services see core, db, api and each other; the app by type only; never handlers or hosts', async () => {
    expect(await lint('main/alerts/x.ts', type('../notify/notifier.js'))).toEqual([]);
    expect(await lint('main/tickets/x.ts', value('../api/dispatch.js'))).toEqual([]);
    expect(await lint('main/alerts/x.ts', type('../app/context.js'))).toEqual([]);
    expect(await lint('main/alerts/x.ts', value('../app/services.js'))).toEqual([expect.stringContaining('types only')]);
    expect(await lint('main/sync/x.ts', value('../handlers/sync/handlers.js'))).toEqual(refused('main/sync/', 'main/handlers/sync/'));
    expect(await lint('main/agreements/x.ts', value('../hosts/cli/index.js'))).toEqual(refused('main/agreements/', 'main/hosts/cli/'));
  });
});
