/**
 * The shipped SLA contract templates (contracts/templates/*.json), read from
 * disk and validated with the engine's checkContract.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { checkContract } from '../../core/sla/index.js';
import type { ValidationIssue } from '../../core/sla/index.js';

export interface ContractTemplate {
  /** File name without `.json`, e.g. "priority-matrix-dk". */
  id: string;
  file: string;
  name: string | undefined;
  description: string | undefined;
  /** The contract JSON (calendars, policies, wording). */
  contract: Record<string, unknown>;
  /** Empty when the template is valid. */
  issues: ValidationIssue[];
}

/** contracts/templates from the sources (main/tickets) or the compiled dist/main/tickets; VAKT_TEMPLATES_DIR overrides. Null: none found. */
export function findTemplatesDir(): string | null {
  const here = import.meta.dirname;
  const candidates = [process.env.VAKT_TEMPLATES_DIR, join(here, '..', '..', 'contracts', 'templates'), join(here, '..', '..', '..', 'contracts', 'templates')].filter((d): d is string => !!d);
  return candidates.find((d) => existsSync(d)) ?? null;
}

/** contracts/templates (findTemplatesDir), or where the sources would have it. */
export function defaultTemplatesDir(): string {
  return findTemplatesDir() ?? resolve(import.meta.dirname, '..', '..', 'contracts', 'templates');
}

/** Reads and checks every template in `dir`, sorted by file name. */
export async function loadTemplates(dir: string = defaultTemplatesDir()): Promise<ContractTemplate[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: ContractTemplate[] = [];
  for (const f of files) {
    const file = join(dir, f);
    let json: unknown;
    let issues: ValidationIssue[];
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
      issues = checkContract(json);
    } catch (e) {
      json = {};
      issues = [{ path: '', message: `invalid JSON: ${(e as Error).message}` }];
    }
    const c = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    out.push({
      id: basename(f, '.json'),
      file,
      name: typeof c.name === 'string' ? c.name : undefined,
      description: typeof c.description === 'string' ? c.description : undefined,
      contract: c,
      issues,
    });
  }
  return out;
}
