/** A template's `reports` and `warranty` sections, copied to a contract made from it (`desk.createContract {template}`). */
import type { ReportsSection } from '../../core/agreements/reports.js';
import type { WarrantySection } from '../../core/agreements/warranty.js';
import type { AppContext } from '../context.js';
import { listTemplates } from '../desk/templates.js';

export async function copyTemplateSections(ctx: Pick<AppContext, 'store'>, templateId: string, contractId: string): Promise<void> {
  const f = listTemplates().templates.find((t) => t.id === templateId)?.file;
  if (!f || (f.reports === undefined && f.warranty === undefined)) return;
  // templateContract checked them with the rest of the template (checkContract) before the contract was made.
  await ctx.store.agreements.setSections(contractId, { reports: (f.reports as ReportsSection | undefined) ?? null, warranty: (f.warranty as WarrantySection | undefined) ?? null });
}
