import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import vakt from './eslint/layering.js';

const root = path.dirname(fileURLToPath(import.meta.url));

// Domain code gets the time from an injected Clock, never from the machine.
const noWallClock = [
  'error',
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the injected Clock, not Date.now().' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected Clock, not new Date().' },
  { selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']", message: 'Use the injected Clock.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**', '**/*.d.ts'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { vakt, '@typescript-eslint': tseslint.plugin },
    rules: {
      'vakt/layering': ['error', { root }],
      'vakt/no-cycle': ['error', { root }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['remote'], message: 'remote is gone; use the contract.' }] }],
    },
  },
  {
    files: ['core/**/*.ts', 'db/**/*.ts'],
    // db/system-time.ts is the machine's clock the hosts inject, once.
    ignores: ['db/system-time.ts'],
    rules: { 'no-restricted-syntax': noWallClock },
  },
);
