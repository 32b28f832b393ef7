/** Handlers for the field technician's visit log (core/api/field.ts, issue 8 §1). */
import type { ChecklistItemDef, FieldVisitView, fieldMethods } from '../../../core/api/field.js';
import { existsSync, readFileSync } from 'node:fs';
import { attachmentPath, storeAttachmentBytes } from '../../sync/attachment-files.js';
import { DEFAULT_CHECKLIST, isBase64, PHOTO_MAX_BYTES } from '../../../core/api/field.js';
import type { AppendEventInput, Ticket } from '../../../db/repos/tickets.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import type { AppContext } from '../../app/context.js';
import { guard } from '../../api/guard.js';
import { requireTicket as requireTicketIn } from '../../api/require.js';
import { visitOf } from '../../../core/agreements/maintenance.js';

/** A step time further than this from now counts as entered by hand: it needs a reason. */
const EDIT_TOLERANCE_MS = 60_000;

export { attachmentPath, storeAttachmentBytes } from '../../sync/attachment-files.js';

export function fieldHandlers(ctx: AppContext): HandlersFor<typeof fieldMethods> {
  const store = ctx.store;

  const requireTicket = (id: string): Promise<Ticket> => requireTicketIn(store, id, 'ticketId');
  async function append(t: Ticket, input: AppendEventInput): Promise<{ ticketId: string; eventId: string }> {
    const [ev] = await store.tickets.appendEvent(t.id, input);
    await ctx.ticketsChanged([t.id]);
    return { ticketId: t.id, eventId: ev?.id ?? '' };
  }
  async function checklistOf(t: Ticket): Promise<{ items: ChecklistItemDef[]; fromContract: boolean }> {
    const own = t.contractId ? ((await store.customers.getContract(t.contractId))?.checklist as ChecklistItemDef[] | null | undefined) : undefined;
    return own?.length ? { items: own, fromContract: true } : { items: [...DEFAULT_CHECKLIST], fromContract: false };
  }

  return {
    'field.myVisits': ({ assignee }) =>
      guard(async () => {
        const items: FieldVisitView[] = [];
        const names = new Map<string, string>();
        let after: { dueKey: number; id: string } | null = null;
        for (let pages = 0; pages < 20; pages++) {
          const page: { items: Ticket[]; next: { dueKey: number; id: string } | null } = await store.tickets.queueFiltered({ assignee }, { limit: 200, after });
          for (const t of page.items) {
            let customerName = names.get(t.customerId);
            if (customerName === undefined) names.set(t.customerId, (customerName = (await store.customers.getCustomer(t.customerId))?.name ?? '?'));
            const site = t.siteId ? await store.customers.getSite(t.siteId) : null;
            items.push({
              ticketId: t.id,
              caseNumber: t.caseNumber,
              customerName,
              status: t.status,
              title: t.title,
              description: t.description,
              siteName: site?.name ?? null,
              siteAddress: site?.address ?? t.intake.site_address ?? null,
              nextDueAt: t.nextDueAt,
              visit: visitOf(t.intake),
            });
          }
          if (!page.next) break;
          after = page.next;
        }
        return { items };
      }),

    'field.step': (r) =>
      guard(async () => {
        const t = await requireTicket(r.ticketId);
        const now = ctx.clock.now();
        const at = r.at ?? now;
        if (at < t.createdAt) throw new ApiFailure('invalid_request', 'is before the case was created', 'at');
        if (at > now + EDIT_TOLERANCE_MS) throw new ApiFailure('invalid_request', 'is in the future', 'at');
        let km = r.km ?? null;
        if (r.replaces) {
          const old = (await store.tickets.events(t.id)).find((e) => e.id === r.replaces);
          if (!old || old.type !== 'visit_step') throw new ApiFailure('invalid_request', `is not a visit step of case ${t.caseNumber}`, 'replaces');
          if (old.data.step !== r.step) throw new ApiFailure('invalid_request', `corrects a "${String(old.data.step)}" step, not "${r.step}"`, 'step');
          // The correction carries the step's km (billing counts the steps in force only).
          if (km === null && typeof old.data.km === 'number') km = old.data.km;
        }
        if ((r.replaces || Math.abs(at - now) > EDIT_TOLERANCE_MS) && !r.reason) throw new ApiFailure('invalid_request', 'a time entered by hand needs a reason', 'reason');
        return append(t, {
          type: 'visit_step',
          at,
          author: r.author,
          data: { step: r.step, technician: r.technician ?? r.author ?? null, km, replaces: r.replaces ?? null, reason: r.reason },
        });
      }),

    'field.parts': (r) => guard(async () => append(await requireTicket(r.ticketId), { type: 'parts', author: r.author, data: { parts: r.parts } })),

    'field.checklistFor': ({ ticketId }) => guard(async () => checklistOf(await requireTicket(ticketId))),

    'field.setChecklist': ({ contractId, items }) =>
      guard(async () => {
        if (!(await store.customers.getContract(contractId))) throw new ApiFailure('not_found', `contract ${contractId} does not exist`, 'contractId');
        const seen = new Set<string>();
        items?.forEach((it, i) => {
          if (seen.has(it.key)) throw new ApiFailure('invalid_request', `key "${it.key}" is used twice`, `items[${i}].key`);
          seen.add(it.key);
        });
        // The checklist travels with the contract record to every device (docs/sync.md).
        await store.customers.setContractDetails(contractId, { checklist: items ?? null });
        return { ok: true as const };
      }),

    'field.checklist': (r) =>
      guard(async () => {
        const t = await requireTicket(r.ticketId);
        const { items: defs } = await checklistOf(t);
        const known = new Set(defs.map((d) => d.key));
        for (const key of Object.keys(r.values)) if (!known.has(key)) throw new ApiFailure('invalid_request', `is not an item of this checklist (has: ${[...known].join(', ')})`, `values.${key}`);
        const items = defs.map((d) => {
          let value = r.values[d.key] ?? null;
          if (typeof value === 'string') value = value.trim() || null;
          if (d.kind === 'number' && typeof value === 'string') {
            const n = Number(value.replace(',', '.'));
            if (!Number.isFinite(n)) throw new ApiFailure('invalid_request', 'must be a number', `values.${d.key}`);
            value = n;
          }
          return { key: d.key, label: d.label, value };
        });
        if (items.every((i) => i.value === null || i.value === false)) throw new ApiFailure('invalid_request', 'fill in at least one item', 'values');
        return append(t, { type: 'checklist', author: r.author, data: { items } });
      }),

    'field.photo': (r) =>
      guard(async () => {
        const t = await requireTicket(r.ticketId);
        if (!isBase64(r.dataBase64) || r.dataBase64.slice(0, -4).includes('=')) throw new ApiFailure('invalid_request', 'is not base64', 'dataBase64');
        const bytes = Buffer.from(r.dataBase64, 'base64');
        if (bytes.length === 0) throw new ApiFailure('invalid_request', 'is empty', 'dataBase64');
        if (bytes.length > PHOTO_MAX_BYTES) throw new ApiFailure('invalid_request', `is larger than ${PHOTO_MAX_BYTES / 1024 / 1024} MB`, 'dataBase64');
        const sha256 = storeAttachmentBytes(ctx.dataDir, bytes);
        const res = await append(t, { type: 'photo', author: r.author, data: { sha256, name: r.name, mime: r.mime, size: bytes.length } });
        return { ...res, sha256, size: bytes.length };
      }),

    'field.photoData': ({ sha256 }) =>
      guard(async () => {
        const meta = await store.tickets.attachment(sha256);
        const file = attachmentPath(ctx.dataDir, sha256);
        if (meta && !existsSync(file)) {
          // Taken on another device: sync downloads the bytes (main/sync/attachment-sync.ts).
          const q = await store.attachments.get(sha256);
          if (q && q.direction === 'download' && q.status !== 'done') {
            return { sha256, mime: meta.mime, dataBase64: null, downloading: true as const, message: q.error ?? 'The photo is still downloading.' };
          }
        }
        if (!meta || !existsSync(file)) throw new ApiFailure('not_found', `photo ${sha256} is not on this device`, 'sha256');
        return { sha256, mime: meta.mime, dataBase64: readFileSync(file).toString('base64') };
      }),

    'field.acceptance': (r) => guard(async () => append(await requireTicket(r.ticketId), { type: 'acceptance', author: r.author, data: { name: r.name, signature: r.signature } })),
  };
}
