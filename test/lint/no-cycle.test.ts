/** vakt/no-cycle (eslint/no-cycle.js): no import circle, type imports included. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });
// Real files on disk: the rule reads the other files of a circle from disk.
const dir = join(root, 'test', 'lint', `tmp-cycle-${process.pid}`);

function write(name: string, code: string): string {
  const file = join(dir, name);
  writeFileSync(file, code);
  return file;
}
async function lintFile(file: string): Promise<string[]> {
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

beforeAll(() => mkdirSync(dir, { recursive: true }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no-cycle rule', () => {
  it('refuses a circle closed by a type import, naming the files', async () => {
    const a = write('a.ts', "import { b } from './b.js';\nexport interface A {\n  n: number;\n}\nexport const a = b;\n");
    write('b.ts', "import type { A } from './a.js';\nexport const b = 1;\nexport type B = A;\n");
    expect(await lintFile(a)).toEqual([
      expect.stringMatching(/vakt\/no-cycle: Import circle: test\/lint\/tmp-cycle-\d+\/a\.ts -> test\/lint\/tmp-cycle-\d+\/b\.ts -> test\/lint\/tmp-cycle-\d+\/a\.ts/),
    ]);
  });

  it('refuses a longer circle through a re-export', async () => {
    const c = write('c.ts', "export { d } from './d.js';\nexport const c = 1;\n");
    write('d.ts', "import { e } from './e.js';\nexport const d = e;\n");
    write('e.ts', "import { c } from './c.js';\nexport const e = c;\n");
    expect(await lintFile(c)).toEqual([expect.stringContaining('c.ts -> test/lint/tmp-cycle-')]);
  });

  it('lets a chain that does not come back pass', async () => {
    const f = write('f.ts', "import { g } from './g.js';\nexport const f = g;\n");
    write('g.ts', "import type { H } from './h.js';\nexport const g = 1;\nexport type G = H;\n");
    write('h.ts', 'export type H = number;\n');
    expect(await lintFile(f)).toEqual([]);
  });

  it('finds no circle in main/ (the app context, the CLI)', async () => {
    const files = ['main/app/context.ts', 'main/app/services.ts', 'main/hosts/cli/index.ts', 'main/hosts/cli/serve.ts'].map((f) => join(root, f));
    const results = await eslint.lintFiles(files);
    expect(results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'vakt/no-cycle').map((m) => m.message))).toEqual([]);
  });
});
