// The layering rule (after VS Code's local/code-layering): which top-level
// folder may import which. Enforced by lint, not goodwill.
//
//   core      imports nothing of ours; no Node built-ins, no electron
//   db        core
//   main      core, db            (electron only in main/hosts/electron/;
//                                  its areas: eslint/main-areas.js)
//   server    core, db
//   preload   core, type-only     (and electron)
//   renderer  core, type-only; values of core/api/ (the contract's zod
//             schemas: a form checks what the services check) and core/domain/
//   test, bench, scripts, eslint: anything
//
// vakt/no-cycle (eslint/no-cycle.js): no import circle anywhere.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { mainAreaRefusal } from './main-areas.js';
import { noCycleRule } from './no-cycle.js';

const LAYERS = ['core', 'db', 'main', 'server', 'preload', 'renderer'];
const ALLOWED = {
  core: [],
  db: ['core'],
  main: ['core', 'db'],
  server: ['core', 'db'],
  preload: ['core'],
  renderer: ['core'],
};
const TYPE_ONLY = { preload: ['core'], renderer: ['core'] };
/** Parts of a type-only layer that may be imported as values (paths from the root, '/'-separated). */
const VALUES_OK = { renderer: ['core/api/', 'core/domain/'] };
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function layerOf(root, file) {
  const rel = path.relative(root, file);
  if (rel.startsWith('..')) return null;
  const top = rel.split(path.sep)[0];
  return LAYERS.includes(top) ? top : null;
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Dependencies point inward: core <- db <- main/server; renderer and preload see core types only (the renderer also core/domain values).' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      layer: '{{from}}/ may not import {{to}}/ ({{spec}}). Allowed for {{from}}/: {{allowed}}.',
      typeOnly: '{{from}}/ may import {{to}}/ only with `import type` ({{spec}}).',
      builtin: '{{from}}/ is pure: no Node built-ins ({{spec}}).',
      electron: 'Electron calls live in thin adapters in main/hosts/electron/ and preload/ only ({{spec}}).',
      area: '{{from}} may not import {{to}} ({{spec}}): {{why}}. Allowed for {{from}}: {{allowed}} (eslint/main-areas.js).',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (!from) return {};
    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec === 'electron' || spec.startsWith('electron/')) {
        const rel = path.relative(root, file).split(path.sep).join('/');
        if (!rel.startsWith('main/hosts/electron/') && from !== 'preload') context.report({ node, messageId: 'electron', data: { spec } });
        return;
      }
      if (from === 'core' && NODE_BUILTINS.has(spec)) {
        context.report({ node, messageId: 'builtin', data: { from, spec } });
        return;
      }
      if (!spec.startsWith('.')) return;
      const target = layerOf(root, path.resolve(path.dirname(file), spec));
      const rel = path.relative(root, path.resolve(path.dirname(file), spec));
      if (!target) {
        if (rel.startsWith('..') || LAYERS.includes(rel.split(path.sep)[0])) return;
        // Importing a top-level folder that is no layer (test/, bench/...) from a layer is not allowed.
        context.report({ node, messageId: 'layer', data: { from, to: rel.split(path.sep)[0], spec, allowed: ALLOWED[from].join(', ') || 'nothing' } });
        return;
      }
      if (from === 'main') {
        const refusal = mainAreaRefusal(path.relative(root, file).split(path.sep).join('/'), rel.split(path.sep).join('/'), isTypeOnly(node));
        if (refusal) {
          context.report({ node, messageId: 'area', data: { ...refusal, spec } });
          return;
        }
      }
      if (target === from) return;
      if (!ALLOWED[from].includes(target)) {
        context.report({ node, messageId: 'layer', data: { from, to: target, spec, allowed: ALLOWED[from].join(', ') || 'nothing' } });
        return;
      }
      const relPosix = rel.split(path.sep).join('/');
      if (TYPE_ONLY[from]?.includes(target) && !isTypeOnly(node) && !VALUES_OK[from]?.some((p) => relPosix.startsWith(p))) {
        context.report({ node, messageId: 'typeOnly', data: { from, to: target, spec } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0]);
      },
    };
  },
};

export default { rules: { layering: layeringRule, 'no-cycle': noCycleRule } };
