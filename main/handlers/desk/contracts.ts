/** Contracts: views, the shipped templates, import and export of contract files, editing the policy set, the support code: core/api/desk.ts, docs/desk.md. */
import type { ReportsSection } from '../../../core/agreements/reports.js';
import type { WarrantySection } from '../../../core/agreements/warranty.js';
import type { deskMethods, PolicySetJson } from '../../../core/api/desk.js';
import { op } from '../../../db/client.js';
import type { Contract, PolicySet } from '../../../db/repos/customers.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { guard, guardAt } from '../../api/guard.js';
import { requireContract } from '../../api/require.js';
import type { AppContext } from '../../app/context.js';
import { ticketsChanged } from '../../tickets/changed.js';
import { ticketViews } from '../../tickets/views.js';
import { openTicketsOf, reviewContractEdit } from './contract-edit.js';
import { checkContractFile, exportContractFile, importContractFile } from './contract-file.js';
import { listTemplates, templateContract } from './templates.js';

/** The policy set of a new contract that copies none: one 24x7 calendar and a policy "normal" (response within 4 hours). */
export function basicPolicySet(timezone: string): PolicySetJson {
  return {
    calendars: { '24x7': { name: '24x7', timezone, week: '24x7' } },
    policies: { normal: { name: 'Normal', calendar: '24x7', targets: { response: { within: { hours: 4 } } } } },
  };
}

export function contractsHandlers(
  ctx: AppContext,
): Pick<
  HandlersFor<typeof deskMethods>,
  | 'desk.contract'
  | 'desk.templates'
  | 'desk.checkContractFile'
  | 'desk.importContract'
  | 'desk.checkContractEdit'
  | 'desk.updateContract'
  | 'desk.createContract'
  | 'desk.setSupportCode'
  | 'desk.exportContract'
> {
  const store = ctx.store;
  const { wordingOf, contractView } = ticketViews(ctx);

  /** A new contract made from a template gets the template's services (issue 20, docs/availability.md). */
  async function copyTemplateServices(contractId: string, templateId: string): Promise<void> {
    const services = listTemplates().templates.find((t) => t.id === templateId)?.file.services;
    if (Array.isArray(services) && services.length) await store.availability.setServices(contractId, services);
  }

  /** ... and its `reports` and `warranty` sections (templateContract checked them with the rest of the template). */
  async function copyTemplateSections(templateId: string, contractId: string): Promise<void> {
    const f = listTemplates().templates.find((t) => t.id === templateId)?.file;
    if (!f || (f.reports === undefined && f.warranty === undefined)) return;
    await store.agreements.setSections(contractId, { reports: (f.reports as ReportsSection | undefined) ?? null, warranty: (f.warranty as WarrantySection | undefined) ?? null });
  }

  return {
    'desk.contract': ({ contractId }) => guard(async () => contractView(await requireContract(store, contractId))),

    'desk.templates': () => ({ templates: listTemplates().templates }),

    'desk.checkContractFile': ({ file }) => ({ issues: checkContractFile(file) }),

    'desk.importContract': ({ file }) => guard(async () => importContractFile(ctx, file)),

    'desk.checkContractEdit': ({ contractId, policySet }) =>
      guard(async () => {
        const { schedules: _schedules, ...review } = await reviewContractEdit(ctx, await requireContract(store, contractId), policySet);
        return review;
      }),

    'desk.updateContract': ({ contractId, policySet, version, wording, criticalPolicy }) =>
      guard(async () => {
        const stored = await requireContract(store, contractId);
        if (stored.version !== version)
          throw new ApiFailure('conflict', `contract ${stored.agreementNumber} was changed meanwhile (version ${stored.version}, you edited ${version}): reload it`, 'version');
        // the critical policy as the edit leaves it: it must be one of the edited policies
        const c = criticalPolicy === undefined ? stored : { ...stored, criticalPolicy };
        if (criticalPolicy && !Object.hasOwn(policySet.policies, criticalPolicy)) {
          throw new ApiFailure('invalid_request', `names no policy ("${criticalPolicy}" is not in policies)`, 'criticalPolicy');
        }
        // The same review desk.checkContractEdit shows: its first issue refuses the edit, before anything is stored.
        const review = await reviewContractEdit(ctx, c, policySet);
        const first = review.issues[0];
        if (first) throw new ApiFailure('invalid_request', first.message, `policySet.${first.path}`);
        const kept = wording
          ? Object.fromEntries(
              Object.entries(wording)
                .map(([k, v]) => [k, v.trim()] as const)
                .filter(([, v]) => v),
            )
          : undefined;
        // One transaction: the contract and each open ticket's new schedule.
        const calls = [op('customers', 'updatePolicySet', contractId, review.policySet as PolicySet, version, kept, criticalPolicy)];
        for (const [id, sched] of review.schedules) calls.push(op('tickets', 'setSchedule', id, sched));
        const [saved] = (await store.batch(calls)) as [Contract];
        // new deadlines: re-plan alerts and refresh the UI
        const ids = (await openTicketsOf(ctx, contractId)).map((t) => t.id);
        if (ids.length) await ticketsChanged(ctx, ids);
        return { contract: await contractView(saved), moved: review.moved };
      }),

    'desk.createContract': ({ customerId, agreementNumber, name, copyFrom, template }) =>
      guardAt('contract', async () => {
        const from = template ? templateContract(template) : copyFrom ? await requireContract(store, copyFrom, 'copyFrom') : null;
        const policySet = from ? from.policySet : (basicPolicySet(ctx.timezone()) as PolicySet);
        const c = await store.customers.createContract({
          customerId,
          agreementNumber,
          name,
          policySet,
          defaultPolicy: from ? from.defaultPolicy : 'normal',
          criticalPolicy: from ? from.criticalPolicy : null,
          intakeFields: from ? from.intakeFields : [],
          wording: from?.wording ?? null,
          maintenance: from?.maintenance ?? null,
        });
        if (template) {
          await copyTemplateServices(c.id, template); // issue 20: the template's services
          await copyTemplateSections(template, c.id); // and its report schedules and warranty terms
        }
        return contractView(c);
      }),

    'desk.setSupportCode': ({ contractId, code }) =>
      guard(async () => {
        await requireContract(store, contractId);
        const value = code === null ? null : code.trim();
        if (value !== null && value.length < 4) throw new ApiFailure('invalid_request', 'must have at least 4 characters (or clear it)', 'code');
        await store.customers.setSupportCode(contractId, value);
        return { hasSupportCode: value !== null };
      }),

    'desk.exportContract': ({ contractId }) =>
      guard(async () => {
        const c = await requireContract(store, contractId);
        const cu = await store.customers.getCustomer(c.customerId);
        const services = await store.availability.servicesOf(c.id); // issue 20: the file carries them back
        return { file: { ...exportContractFile(c, cu, await wordingOf(c.id), await store.agreements.contract(c.id)), ...(services.length ? { services } : {}) } };
      }),
  };
}
