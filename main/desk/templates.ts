/**
 * The shipped contract templates (`contracts/templates/*.json`): contract-only
 * files (calendars, policies, wording), which the first start and the
 * contracts view import with a customer and an agreement number from a form.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContractTemplate } from '../../core/api/desk.js';
import { checkContract } from '../../core/sla/index.js';
import type { Contract, PolicySet } from '../../db/repos/customers.js';
import { ApiFailure } from '../api/dispatch.js';

/** contracts/templates from the compiled main/desk (dist/main/desk) or from the sources; VAKT_TEMPLATES_DIR overrides. */
export function findTemplatesDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [process.env.VAKT_TEMPLATES_DIR, join(here, '..', '..', '..', 'contracts', 'templates'), join(here, '..', '..', 'contracts', 'templates')].filter((d): d is string => !!d);
  return candidates.find((d) => existsSync(d)) ?? null;
}

/** Every template, by file name; a file that is not a JSON object is skipped (named in `skipped`). */
export function listTemplates(dir = findTemplatesDir()): { templates: ContractTemplate[]; skipped: string[] } {
  const templates: ContractTemplate[] = [];
  const skipped: string[] = [];
  if (!dir) return { templates, skipped };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const file = JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
      if (!file || typeof file !== 'object' || Array.isArray(file)) throw new Error('not a JSON object');
      const o = file as Record<string, unknown>;
      templates.push({
        id: f.replace(/\.json$/, ''),
        name: typeof o.name === 'string' ? o.name : f,
        description: typeof o.description === 'string' ? o.description : null,
        file: o,
      });
    } catch (err) {
      skipped.push(`${f}: ${(err as Error).message}`);
    }
  }
  return { templates, skipped };
}

/** What a new contract copies from a template (`desk.createContract {template}`): its calendars, policies and wording. */
export function templateContract(id: string, dir = findTemplatesDir()): Pick<Contract, 'policySet' | 'defaultPolicy' | 'criticalPolicy' | 'intakeFields' | 'wording'> {
  const t = listTemplates(dir).templates.find((x) => x.id === id);
  if (!t) throw new ApiFailure('invalid_request', `there is no template "${id}"`, 'template');
  const f = t.file;
  const issue = checkContract({ calendars: f.calendars, policies: f.policies, ...(f.wording !== undefined ? { wording: f.wording } : {}), ...(f.reports !== undefined ? { reports: f.reports } : {}), ...(f.warranty !== undefined ? { warranty: f.warranty } : {}) })[0];
  if (issue) throw new ApiFailure('invalid_request', `template "${id}": ${issue.path}: ${issue.message}`, 'template');
  return {
    policySet: { calendars: f.calendars, policies: f.policies } as PolicySet,
    defaultPolicy: typeof f.defaultPolicy === 'string' ? f.defaultPolicy : null,
    criticalPolicy: typeof f.criticalPolicy === 'string' ? f.criticalPolicy : null,
    intakeFields: [],
    wording: f.wording && typeof f.wording === 'object' ? (f.wording as Record<string, string>) : null,
  };
}
