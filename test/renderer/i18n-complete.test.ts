/**
 * Complete translations (issue 15 item 7): every language has every key of
 * the English messages with the same {{placeholders}}, every key the renderer
 * asks for exists, and the renderer's views show no text outside i18n.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { da } from '../../renderer/i18n/da.js';
import { en } from '../../renderer/i18n/en.js';
import { nb } from '../../renderer/i18n/nb.js';
import { nl } from '../../renderer/i18n/nl.js';
import { ISSUE_KEYS } from '../../core/domain/issue-keys.js';

type Tree = { [k: string]: string | Tree };
/** "a.b.c" -> the string, of every leaf. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

const english = leaves(en as unknown as Tree);

describe.each([
  ['da', da],
  ['nb', nb],
  ['nl', nl],
] as const)('%s', (_lang, messages) => {
  const other = leaves(messages as unknown as Tree);
  it('has every key of the English messages, and no other', () => {
    expect([...english.keys()].filter((k) => !other.has(k))).toEqual([]);
    expect([...other.keys()].filter((k) => !english.has(k))).toEqual([]);
  });
  it('uses the same placeholders as the English text', () => {
    const wrong = [...english].filter(([k, v]) => other.has(k) && placeholders(v).join() !== placeholders(other.get(k) ?? '').join());
    expect(wrong.map(([k]) => k)).toEqual([]);
  });
  it('leaves no text empty', () => {
    expect([...other].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
  });
});

const RENDERER = join(import.meta.dirname, '..', '..', 'renderer');
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? (d.name === 'i18n' ? [] : sources(join(dir, d.name))) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : []));
}
const files = sources(RENDERER).map((f) => ({
  f: f.slice(RENDERER.length + 1),
  src: ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true, f.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS),
}));
function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}
const isT = (n: ts.CallExpression) => (ts.isIdentifier(n.expression) && n.expression.text === 't') || (ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 't');
/** A key asked for exists, as a text or as i18next plural forms (key_one, key_other). */
const known = (key: string) => english.has(key) || english.has(`${key}_other`);
/** A key made from a template (`field.steps.${step}`): its fixed prefix is a group of keys. */
const knownPrefix = (prefix: string) => [...english.keys()].some((k) => k.startsWith(prefix));

/** The texts an expression shown as a JSX child can evaluate to, as literals in it. */
function shown(e: ts.Expression, report: (text: string) => void): void {
  const words = /[A-Za-zÀ-ÿ]{2,}/;
  if ((ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && words.test(e.text)) report(e.text);
  else if (ts.isTemplateExpression(e)) {
    const fixed = [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' ');
    if (words.test(fixed)) report(e.getText());
  } else if (ts.isParenthesizedExpression(e)) shown(e.expression, report);
  else if (ts.isConditionalExpression(e)) {
    shown(e.whenTrue, report);
    shown(e.whenFalse, report);
  } else if (ts.isBinaryExpression(e) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(e.operatorToken.kind)) {
    if (e.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) shown(e.left, report);
    shown(e.right, report);
  }
}

describe('the renderer', () => {
  it('asks only for keys that exist', () => {
    const missing: string[] = [];
    for (const { f, src } of files)
      walk(src, (n) => {
        if (!ts.isCallExpression(n) || !isT(n)) return;
        const a = n.arguments[0];
        if (a && ts.isStringLiteralLike(a) && !known(a.text)) missing.push(`${f}: ${a.text}`);
        if (a && ts.isTemplateExpression(a) && !knownPrefix(a.head.text)) missing.push(`${f}: ${a.head.text}…`);
      });
    expect(missing).toEqual([]);
  });

  it('has a text for every problem the services report by key (core/domain/issue-keys.ts: `fieldIssue.<key>`)', () => {
    const keys = [...ISSUE_KEYS, 'required', 'tooLong', 'notPhone', 'requiredByContract'];
    expect(keys.filter((k) => !known(`fieldIssue.${k}`))).toEqual([]);
  });

  it('shows no text that is not translated (JSX text, the labels people read, error messages)', () => {
    const ATTRS = new Set(['aria-label', 'title', 'placeholder', 'alt']);
    const words = /[A-Za-zÀ-ÿ]{2,}/;
    const found: string[] = [];
    for (const { f, src } of files) {
      if (!f.endsWith('.tsx')) continue;
      walk(src, (n) => {
        if (ts.isJsxText(n) && words.test(n.text)) found.push(`${f}: ${n.text.trim()}`);
        if (ts.isJsxAttribute(n) && ATTRS.has(n.name.getText()) && n.initializer && ts.isStringLiteral(n.initializer) && words.test(n.initializer.text))
          found.push(`${f}: ${n.name.getText()}="${n.initializer.text}"`);
        // an error message the view shows: { path, message: 'must be …' }
        if (ts.isPropertyAssignment(n) && n.name.getText() === 'message') shown(n.initializer, (text) => found.push(`${f}: message ${text}`));
        // text shown as a JSX child: {'Save'}, {busy ? 'Saving' : label}, {`${n} tickets`}
        if (ts.isJsxExpression(n) && n.expression && (ts.isJsxElement(n.parent) || ts.isJsxFragment(n.parent))) shown(n.expression, (text) => found.push(`${f}: {${text}}`));
      });
    }
    expect(found).toEqual([]);
  });
});
