#!/usr/bin/env node
// The whole test suite: lint, type check, unit and integration tests (Vitest),
// end-to-end tests (Playwright in Debian's Chromium). Installs the Debian
// packages it needs, builds, runs every suite even when one fails, and ends
// with one line `N passed, N failed` summing them all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tmp = mkdtempSync(join(tmpdir(), 'vakt-test-all-'));
const results = [];

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return r.status ?? 1;
}

function record(suite, passed, failed, note = '') {
  results.push({ suite, passed, failed });
  console.log(`\n[${suite}] passed ${passed} / failed ${failed}${note ? ' (' + note + ')' : ''}\n`);
}

try {
  ensureSystemPackages();
} catch (err) {
  console.error(`system packages could not be installed: ${err.message}`);
}

// Build: the e2e tests and CLI tests run the built app.
{
  const code = run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
  record('build', code === 0 ? 1 : 0, code === 0 ? 0 : 1);
}

// Lint (layering rule included): one check per file linted.
{
  const out = join(tmp, 'eslint.json');
  const code = run(bin('eslint'), ['.', '--format', 'json', '--output-file', out]);
  if (existsSync(out)) {
    const files = JSON.parse(readFileSync(out, 'utf8'));
    const bad = files.filter((f) => f.errorCount > 0);
    for (const f of bad) for (const m of f.messages) console.log(`${f.filePath}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`);
    record('lint', files.length - bad.length, bad.length + (code !== 0 && bad.length === 0 ? 1 : 0));
  } else record('lint', 0, 1, 'eslint did not run');
}

// Formatting (Prettier, .prettierrc.json): one check for the whole tree; `npm run format` fixes it.
{
  const code = run(bin('prettier'), ['--check', '--log-level', 'warn', '**/*.{ts,tsx,js,mjs,cjs}']);
  record('format', code === 0 ? 1 : 0, code === 0 ? 0 : 1);
}

// Type check every project, tests included.
{
  const code = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', join(root, 'tsconfig.json')]);
  record('typecheck', code === 0 ? 1 : 0, code === 0 ? 0 : 1);
}

// Vitest.
{
  const out = join(tmp, 'vitest.json');
  const code = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    const failedSuites = (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
    record('vitest', r.numPassedTests, r.numFailedTests + failedSuites + (code !== 0 && r.numFailedTests + failedSuites === 0 ? 1 : 0));
  } else record('vitest', 0, 1, 'vitest wrote no report');
}

// Playwright against the browser shell.
{
  const out = join(tmp, 'playwright.json');
  const code = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (existsSync(out)) {
    const s = JSON.parse(readFileSync(out, 'utf8')).stats ?? {};
    const failed = (s.unexpected ?? 0) + (s.flaky ?? 0);
    record('playwright', s.expected ?? 0, failed + (code !== 0 && failed === 0 ? 1 : 0));
  } else record('playwright', 0, 1, 'playwright wrote no report');
}

rmSync(tmp, { recursive: true, force: true });
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log('\nSuites:');
for (const r of results) console.log(`  ${r.suite.padEnd(11)} passed ${r.passed} / failed ${r.failed}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
