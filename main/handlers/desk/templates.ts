/**
 * The shipped contract templates (`contracts/templates/*.json`): contract-only
 * files (calendars, policies, wording), which the first start and the
 * contracts view import with a customer and an agreement number from a form.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractTemplate } from '../../../core/api/desk.js';
import { checkContract } from '../../../core/sla/index.js';
import type { Contract, PolicySet } from '../../../db/repos/customers.js';
import { ApiFailure } from '../../api/dispatch.js';
import { findTemplatesDir } from '../../tickets/templates.js';

/** Every template, by file name; a file that is not a JSON object is skipped (named in `skipped`). */
export function listTemplates(dir = findTemplatesDir()): { templates: ContractTemplate[]; skipped: string[] } {
  const templates: ContractTemplate[] = [];
  const skipped: string[] = [];
  if (!dir) return { templates, skipped };
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
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
export function templateContract(id: string, dir = findTemplatesDir()): Pick<Contract, 'policySet' | 'defaultPolicy' | 'criticalPolicy' | 'intakeFields' | 'wording' | 'maintenance'> {
  const t = listTemplates(dir).templates.find((x) => x.id === id);
  if (!t) throw new ApiFailure('invalid_request', `there is no template "${id}"`, 'template');
  const f = t.file;
  const issue = checkContract({
    calendars: f.calendars,
    policies: f.policies,
    ...(f.wording !== undefined ? { wording: f.wording } : {}),
    ...(f.maintenance !== undefined ? { maintenance: f.maintenance } : {}),
    ...(f.reports !== undefined ? { reports: f.reports } : {}),
    ...(f.warranty !== undefined ? { warranty: f.warranty } : {}),
  })[0];
  if (issue) throw new ApiFailure('invalid_request', `template "${id}": ${issue.path}: ${issue.message}`, 'template');
  return {
    policySet: { calendars: f.calendars, policies: f.policies } as PolicySet,
    defaultPolicy: typeof f.defaultPolicy === 'string' ? f.defaultPolicy : null,
    criticalPolicy: typeof f.criticalPolicy === 'string' ? f.criticalPolicy : null,
    intakeFields: [],
    wording: f.wording && typeof f.wording === 'object' ? (f.wording as Record<string, string>) : null,
    maintenance: Array.isArray(f.maintenance) ? (f.maintenance as unknown[]) : null,
  };
}
