// vakt/no-cycle: no file imports itself through others, type imports included
// (`import`, `import type`, `export ... from`; not `import()` called at run time).
//
// The linted file's imports come from its AST; the other files' from disk,
// parsed once per lint run with TypeScript's parser (a file's imports are read
// again when its modification time changes).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** file -> { mtimeMs, deps: string[] } */
const cache = new Map();

/** The repo file a relative specifier names (`./x.js` is `./x.ts` in the sources), or null. */
export function resolveSpec(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const cand of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, path.join(base, 'index.ts')]) {
    try {
      if (fs.statSync(cand).isFile()) return cand;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The static imports and re-exports of a source text. */
export function staticSpecifiers(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out = [];
  for (const st of sf.statements) {
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) out.push(st.moduleSpecifier.text);
  }
  return out;
}

function depsOf(file) {
  let mtimeMs;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.deps;
  const deps = staticSpecifiers(file, fs.readFileSync(file, 'utf8'))
    .map((s) => resolveSpec(file, s))
    .filter((f) => f !== null);
  cache.set(file, { mtimeMs, deps });
  return deps;
}

/** A path of imports from `start` back to `goal` (both included), or null. */
export function pathBack(start, goal, deps = depsOf) {
  const seen = new Set();
  const stack = [[start, [start]]];
  while (stack.length) {
    const [file, trail] = stack.pop();
    if (file === goal) return trail;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const d of deps(file)) if (!seen.has(d)) stack.push([d, [...trail, d]]);
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noCycleRule = {
  meta: {
    type: 'problem',
    docs: { description: 'No import circle, type imports included: a file may not import itself through others.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { cycle: 'Import circle: {{trail}}. Move what both sides need into a third file (or to where it belongs).' },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    if (path.relative(root, file).startsWith('..')) return {};
    const rel = (f) => path.relative(root, f).split(path.sep).join('/');
    function check(node) {
      const spec = node.source?.value;
      if (typeof spec !== 'string') return;
      const target = resolveSpec(file, spec);
      if (!target || target === file) return;
      const trail = pathBack(target, file);
      if (trail) context.report({ node, messageId: 'cycle', data: { trail: [file, ...trail].map(rel).join(' -> ') } });
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
