/** Handlers for the duty officer desk (core/api/desk.ts, docs/desk.md). */
import type { z } from 'zod';
import { CRITICAL_PRIORITY, ticketPriority } from '../../core/api/desk.js';
import { phoneIssue, registerIssues } from './register-check.js';
import type {
  CalendarDayView,
  CalendarMonthView,
  CallerView,
  ContactView,
  ContractSummary,
  ContractView,
  CustomerView,
  EventView,
  IntakePreview,
  PolicySetJson,
  PolicyView,
  TargetView,
  TicketAction,
  TicketDetail,
  TicketSummary,
  deskMethods,
  ticketAction,
} from '../../core/api/desk.js';
import { parseIcsClosedDays } from '../../core/calendars/ics.js';
import { splitCalendarJsonNightShifts } from '../../core/calendars/night-shift.js';
import { compileCalendar, evaluateTicket, slaUnavailableIssue, validateCalendar } from '../../core/sla/index.js';
import type { CompiledCalendar, Contract as SlaContract, TargetStatus, TicketEvent as SlaEvent } from '../../core/sla/index.js';
import { formatHHMM } from '../../core/sla/time.js';
import type { Contract, Customer, PolicySet } from '../../db/repos/customers.js';
import { op } from '../../db/client.js';
import type { Ticket } from '../../db/repos/tickets.js';
import { ApiFailure } from '../api/dispatch.js';
import type { HandlersFor } from '../api/dispatch.js';
import type { AppContext } from '../context.js';
import { clockEvents, slaEvents } from '../tickets/sla-events.js';
import { receivedLateMs } from '../../core/reports/index.js';
import { scheduleOf, slaOf } from '../tickets/schedule.js';
import type { SlaFailure } from '../tickets/schedule.js';
import { checkContractFile, exportContractFile, importContractFile } from './contract-file.js';
import { openTicketsOf, reviewContractEdit } from './contract-edit.js';
import { actCalls } from './act.js';
import { listTemplates, templateContract } from './templates.js';
import { searchTickets } from './search.js';

type Req<M extends keyof typeof deskMethods> = z.output<(typeof deskMethods)[M]['request']>;

/** Store errors -> API failures with the path the user can act on. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as Error & { path?: string };
    if (err instanceof ApiFailure) throw err;
    const message = e.path && e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
    if (e.name === 'ValidationError') throw new ApiFailure('invalid_request', message, e.path);
    if (e.name === 'NotFoundError') throw new ApiFailure('not_found', message);
    if (e.name === 'ConflictError') throw new ApiFailure('conflict', message);
    throw err;
  }
}

/** Like guard, but a store path under `from.` (e.g. `contact.phone`) is given as the request's field (`phone`). */
export async function guardAt<T>(from: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await guard(fn);
  } catch (err) {
    if (err instanceof ApiFailure && err.path && (err.path === from || err.path.startsWith(`${from}.`))) {
      throw new ApiFailure(err.code, err.message, err.path === from ? undefined : err.path.slice(from.length + 1));
    }
    throw err;
  }
}

/** The policy set of a new contract that copies none: one 24x7 calendar and a policy "normal" (response within 4 hours). */
export function basicPolicySet(timezone: string): PolicySetJson {
  return {
    calendars: { '24x7': { name: '24x7', timezone, week: '24x7' } },
    policies: { normal: { name: 'Normal', calendar: '24x7', targets: { response: { within: { hours: 4 } } } } },
  };
}

/** Days since 1970-01-01 of the first of a `YYYY-MM` month, and the month's length. */
function monthDays(month: string): { first: number; count: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = Math.floor(Date.UTC(y, m - 1, 1) / 86_400_000);
  const next = Math.floor(Date.UTC(y, m, 1) / 86_400_000);
  return { first, count: next - first };
}

/** The engine's view of local days `first..first+count-1` of a compiled calendar. */
export function calendarDays(cal: CompiledCalendar, first: number, count: number): CalendarDayView[] {
  const out: CalendarDayView[] = [];
  for (let day = first; day < first + count; day++) {
    const iv = cal.dayIntervals(day);
    const intervals: [string, string][] = [];
    let ms = 0;
    for (let i = 0; i < iv.length; i += 2) {
      const a = iv[i] as number;
      const b = iv[i + 1] as number;
      ms += b - a;
      intervals.push([formatHHMM(cal.localMsOfDay(a)), cal.localDay(b) > day ? '24:00' : formatHHMM(cal.localMsOfDay(b))]);
    }
    out.push({ date: new Date(day * 86_400_000).toISOString().slice(0, 10), weekday: (((day + 3) % 7) + 7) % 7, rule: cal.dayRule(day), intervals, openMinutes: Math.round(ms / 60_000) });
  }
  return out;
}

export function deskHandlers(ctx: AppContext): HandlersFor<typeof deskMethods> {
  const store = ctx.store;

  // ---------- small helpers ----------
  async function requireContract(contractId: string, path = 'contractId'): Promise<Contract> {
    const c = await store.customers.getContract(contractId);
    if (!c) throw new ApiFailure('not_found', `contract ${contractId} does not exist`, path);
    return c;
  }
  async function requireTicket(id: string, path = 'id'): Promise<Ticket> {
    const t = await store.tickets.get(id);
    if (!t) throw new ApiFailure('not_found', `ticket ${id} does not exist`, path);
    return t;
  }
  async function wordingOf(contractId: string): Promise<Record<string, string>> {
    return ((await store.customers.getContract(contractId))?.wording as Record<string, string> | null) ?? {};
  }
  async function compiled(c: Contract): Promise<SlaContract> {
    return ctx.planner.contractFor({ contractId: c.id, contractVersion: c.version });
  }
  /** The compiled contract, or a clear refusal (path `contractId`) when its SLA cannot be computed (e.g. it arrived by sync). */
  async function compiledOrRefuse(c: Contract): Promise<SlaContract> {
    try {
      return await compiled(c);
    } catch (e) {
      throw ApiFailure.invalid([slaUnavailableIssue('contractId', e, { agreement: c.agreementNumber })]);
    }
  }
  function summaryOf(c: Contract, customerName: string): ContractSummary {
    return { id: c.id, customerId: c.customerId, customerName, agreementNumber: c.agreementNumber, name: c.name };
  }
  const contactView = (c: ContactView): ContactView => ({ id: c.id, name: c.name, phone: c.phone, email: c.email, role: c.role });
  function policiesOf(c: Contract, wording: Record<string, string>): PolicyView[] {
    return Object.entries(c.policySet.policies).map(([id, p]) => ({
      id,
      name: typeof p.name === 'string' ? p.name : id,
      calendar: String(p.calendar ?? ''),
      wording: wording[id] ?? null,
    }));
  }
  async function customerName(id: string, cache?: Map<string, string>): Promise<string> {
    const hit = cache?.get(id);
    if (hit !== undefined) return hit;
    const name = (await store.customers.getCustomer(id))?.name ?? '?';
    cache?.set(id, name);
    return name;
  }

  function targetViews(targets: readonly TargetStatus[], sla: SlaContract, wording: Record<string, string>, policy: string, now: number): TargetView[] {
    return targets.map((t) => {
      const cal = sla.calendars.get(t.calendar);
      return {
        metric: t.metric,
        state: t.state,
        dueAt: t.dueAt,
        stoppedAt: t.stoppedAt,
        breached: t.breached,
        elapsedMinutes: t.elapsedMinutes,
        remainingMinutes: t.remainingMinutes,
        ...(t.missed !== undefined ? { missed: t.missed } : {}),
        startedAt: t.startedAt,
        timezone: cal?.timezone ?? ctx.timezone(),
        businessMinutesLeft: t.state === 'running' && t.dueAt !== null && cal ? Math.ceil(cal.openMs(now, Math.max(now, t.dueAt)) / 60_000) : null,
        wording: wording[`${policy}.${t.metric}`] ?? null,
        ...(t.trace ? { trace: t.trace } : {}),
      };
    });
  }

  interface Evaluated {
    policy: string;
    targets: TargetView[];
    raw: TargetStatus[];
  }
  /** The ticket's SLA now (plus `extra` events), as views; a failure: why it cannot be computed; null: it has none. */
  async function evaluate(t: Ticket, extra: SlaEvent[] = [], explain = false): Promise<Evaluated | SlaFailure | null> {
    const now = ctx.clock.now();
    const r = await slaOf(ctx, t, { extra, explain, now });
    if (!r) return null;
    if (!r.ok) return r;
    return { policy: r.status.policy, targets: targetViews(r.status.targets, r.sla, await wordingOf(r.contract.id), r.status.policy, now), raw: r.status.targets };
  }
  const evaluated = (e: Evaluated | SlaFailure | null): Evaluated | null => (e && 'targets' in e ? e : null);

  /** After a commit: re-plan alerts, refresh the UI, push. What is stored is stored: a failure here is logged, not answered. */
  async function changed(ids: string[]): Promise<void> {
    try {
      await ctx.ticketsChanged(ids);
    } catch (e) {
      ctx.log(`desk: re-planning ${ids.length} ticket(s) after a change failed`, e);
    }
  }

  async function summary(t: Ticket, cache: Map<string, string>, contracts: Map<string, Contract | null>): Promise<TicketSummary> {
    let agreement: string | null = null;
    let priorityName: string | null = null;
    if (t.contractId) {
      if (!contracts.has(t.contractId)) contracts.set(t.contractId, await store.customers.getContract(t.contractId));
      const c = contracts.get(t.contractId);
      agreement = c?.agreementNumber ?? null;
      const p = t.priority && c && Object.hasOwn(c.policySet.policies, t.priority) ? (c.policySet.policies[t.priority] as { name?: unknown }) : null;
      priorityName = typeof p?.name === 'string' ? p.name : null;
    }
    const e = await evaluate(t);
    const ev = evaluated(e);
    return {
      id: t.id,
      caseNumber: t.caseNumber,
      customerId: t.customerId,
      customerName: await customerName(t.customerId, cache),
      contractId: t.contractId,
      agreementNumber: agreement,
      policy: t.policy,
      status: t.status,
      // a ticket marked critical on a policy that is not (or no longer) the contract's critical one is shown by its policy
      priority: t.priority === CRITICAL_PRIORITY && t.policy ? ticketPriority(true, t.policy, (t.contractId && contracts.get(t.contractId)?.criticalPolicy) || null) : t.priority,
      channel: t.channel,
      assignee: t.assignee,
      title: t.title,
      reporterName: t.reporterName,
      reporterPhone: t.reporterPhone,
      priorityName,
      escalationLevel: t.escalationLevel,
      vendorRef: t.vendorRef,
      createdAt: t.createdAt,
      nextDueAt: t.nextDueAt,
      nextCallbackAt: t.nextCallbackAt,
      targets: ev?.targets ?? [],
      slaError: e && 'reason' in e ? e.reason : null,
      slaErrorIssues: e && 'reason' in e ? e.issues : null,
    };
  }
  const summaries = async (ts: Ticket[]) => {
    const names = new Map<string, string>();
    const contracts = new Map<string, Contract | null>();
    const out: TicketSummary[] = [];
    for (const t of ts) out.push(await summary(t, names, contracts));
    return out;
  };

  async function detail(t: Ticket): Promise<TicketDetail> {
    const base = await summary(t, new Map(), new Map());
    const ev = evaluated(await evaluate(t, [], true));
    const log = await store.tickets.events(t.id);
    // Events that stop or pause a clock carry who sent them and when the server received them (docs/reports.md "Evidence").
    const clocks = new Map(clockEvents(t, log).map((c) => [c.eventId, c]));
    const events: EventView[] = log.map((e) => {
      const c = clocks.get(e.id);
      const receipt = c ? { deviceId: e.deviceId, deviceName: c.deviceName, receivedAt: c.receivedAt, lateMs: receivedLateMs(e.at, c.receivedAt) } : undefined;
      return { id: e.id, type: e.type, at: e.at, author: e.author, data: e.data, ...(receipt ? { receipt } : {}) };
    });
    let policies: PolicyView[] = [];
    let policyName = ev?.policy ?? '';
    if (t.contractId) {
      const c = await store.customers.getContract(t.contractId);
      if (c) {
        policies = policiesOf(c, await wordingOf(c.id));
        policyName = policies.find((p) => p.id === ev?.policy)?.name ?? policyName;
      }
    }
    return {
      ...base,
      targets: ev?.targets.map(({ trace: _trace, ...rest }) => rest) ?? base.targets,
      description: t.description,
      customerRef: t.customerRef,
      intake: t.intake,
      events,
      sla: ev ? { policy: ev.policy, policyName, targets: ev.targets } : null,
      policies,
    };
  }

  async function contractView(c: Contract): Promise<ContractView> {
    const wording = await wordingOf(c.id);
    return {
      ...summaryOf(c, await customerName(c.customerId)),
      policies: policiesOf(c, wording),
      defaultPolicy: c.defaultPolicy,
      criticalPolicy: c.criticalPolicy,
      intakeFields: c.intakeFields,
      hasSupportCode: c.hasSupportCode,
      contacts: c.contacts.map(contactView),
      calendars: c.policySet.calendars,
      wording,
      version: c.version,
      policySet: c.policySet as PolicySetJson,
    };
  }

  async function customerView(cu: Customer): Promise<CustomerView> {
    const contracts = await store.customers.contractsOf(cu.id);
    return { id: cu.id, name: cu.name, orgNumber: cu.orgNumber, notes: cu.notes, contracts: contracts.map((c) => summaryOf(c, cu.name)) };
  }

  /** The SLA events an action would append at `now` (for what-if). */
  function slaEffect(a: z.output<typeof ticketAction>, now: number): SlaEvent[] {
    switch (a.type) {
      case 'respond':
        return [{ type: 'responded', at: now }];
      case 'callback':
        return [{ type: 'update_logged', at: now }];
      case 'pause':
        return [{ type: 'status', at: now, status: a.reason }];
      case 'resume':
      case 'reopen':
        return [{ type: 'status', at: now, status: 'open' }];
      case 'resolve':
        return [{ type: 'status', at: now, status: 'resolved' }];
      case 'close':
        return [{ type: 'status', at: now, status: 'closed' }];
      case 'priority':
        return [{ type: 'policy_changed', at: now, policy: a.policy }];
      default:
        return [];
    }
  }

  function checkTransition(t: Ticket, a: TicketAction): void {
    const closed = t.status === 'resolved' || t.status === 'closed';
    const waiting = t.status === 'waiting_on_customer' || t.status === 'waiting_on_vendor';
    const bad = (msg: string) => {
      throw new ApiFailure('conflict', msg, 'action.type');
    };
    if (a.type === 'pause' && t.status !== 'open') bad(`the ticket is ${t.status}; only an open ticket can be paused`);
    if (a.type === 'resume' && !waiting) bad(`the ticket is ${t.status}, not paused`);
    if (a.type === 'resolve' && closed) bad(`the ticket is already ${t.status}`);
    if (a.type === 'reopen' && !closed) bad(`the ticket is ${t.status}, not resolved or closed`);
    if (a.type === 'close' && t.status === 'closed') bad('the ticket is already closed');
  }

  return {
    'desk.lookup': ({ query }) =>
      guard(async () => {
        const q = query.trim();
        if (!q) return { callers: [], customers: [] };
        const callers: CallerView[] = [];
        if (/\d{3,}/.test(q.replace(/\D/g, '')) && /^[+\d\s().-]+$/.test(q)) {
          const names = new Map<string, string>();
          for (const m of await store.customers.contactsByPhone(q)) {
            const c = await store.customers.getContract(m.contractId);
            if (!c) continue;
            names.set(m.customerId, m.customerName);
            callers.push({ contact: contactView(m.contact), contract: summaryOf(c, m.customerName) });
          }
          return { callers, customers: [] };
        }
        const customers: CustomerView[] = [];
        for (const cu of await store.customers.findCustomers(q, 20)) customers.push(await customerView(cu));
        // contacts by name within the customers found (and agreement numbers typed directly)
        const byNumber = await store.customers.contractByAgreementNumber(q);
        if (byNumber && !customers.some((c) => c.id === byNumber.customerId)) {
          const cu = await store.customers.getCustomer(byNumber.customerId);
          if (cu) customers.unshift(await customerView(cu));
        }
        for (const cu of customers)
          for (const s of cu.contracts) {
            const c = await store.customers.getContract(s.id);
            for (const k of c?.contacts ?? []) callers.push({ contact: contactView(k), contract: s });
          }
        return { callers, customers };
      }),

    'desk.contract': ({ contractId }) => guard(async () => contractView(await requireContract(contractId))),

    'desk.verifySupportCode': ({ contractId, code }) => guard(async () => ({ valid: await store.customers.verifySupportCode(contractId, code) })),

    'desk.preview': ({ contractId, policy }) =>
      guard(async () => {
        const c = await requireContract(contractId);
        const sla = await compiledOrRefuse(c);
        const p = sla.policies.get(policy);
        if (!p) throw new ApiFailure('invalid_request', `policy "${policy}" is not in contract ${c.agreementNumber}`, 'policy');
        const now = ctx.clock.now();
        const cal = sla.calendars.get(p.calendar);
        const open = cal ? cal.isOpen(now) : true;
        const status = evaluateTicket({ events: [{ type: 'created', at: now, policy }], policies: sla.policies, calendars: sla.calendars, now });
        const preview: IntakePreview = {
          now,
          policy,
          open,
          opensAt: open || !cal ? null : cal.nextOpen(now),
          timezone: cal?.timezone ?? ctx.timezone(),
          targets: targetViews(status.targets, sla, await wordingOf(c.id), policy, now),
        };
        return preview;
      }),

    'desk.register': (r) =>
      guard(async () => {
        const c = await requireContract(r.contractId);
        if (c.customerId !== r.customerId) throw new ApiFailure('invalid_request', `contract ${c.agreementNumber} belongs to another customer`, 'contractId');
        if (r.authorisedBy === 'contact') {
          if (!r.contactId || !c.contacts.some((k) => k.id === r.contactId)) throw new ApiFailure('invalid_request', `is not an authorised contact of ${c.agreementNumber}`, 'contactId');
        } else if (!r.supportCode || !(await store.customers.verifySupportCode(c.id, r.supportCode))) {
          throw new ApiFailure('invalid_request', `is not the support code of ${c.agreementNumber}: the caller may not report on this contract`, 'supportCode');
        }
        const contact = r.contactId ? c.contacts.find((k) => k.id === r.contactId) : undefined;
        // Every problem at once, each at its field; a critical fault gets the contract's critical policy (its clock).
        const [first, ...rest] = registerIssues(c, r);
        if (first) throw ApiFailure.invalid([first, ...rest]);
        const policy = r.critical && c.criticalPolicy ? c.criticalPolicy : r.policy;
        // The SLA first: a contract whose SLA cannot be computed gets the ticket refused, before anything is stored.
        const now = ctx.clock.now();
        const sla = await compiledOrRefuse(c);
        if (!sla.policies.has(policy)) throw new ApiFailure('invalid_request', `policy "${policy}" is not in contract ${c.agreementNumber}`, 'policy');
        let schedule;
        try {
          schedule = scheduleOf('open', evaluateTicket({ events: [{ type: 'created', at: now, policy }], policies: sla.policies, calendars: sla.calendars, now }).targets);
        } catch (e) {
          throw ApiFailure.invalid([slaUnavailableIssue('contractId', e, { agreement: c.agreementNumber })]);
        }
        // One transaction: the ticket, its created event and its schedule (a crash leaves all or nothing).
        const t = await store.tickets.register({
          intakeId: r.intakeId,
          customerId: r.customerId,
          contractId: r.contractId,
          policy,
          priority: ticketPriority(r.critical, policy, c.criticalPolicy),
          channel: r.channel,
          assignee: r.assignee,
          title: r.title,
          description: r.description,
          reporterName: r.reporterName ?? contact?.name ?? null,
          reporterPhone: r.reporterPhone ?? contact?.phone ?? null,
          customerRef: r.intake.customer_ref?.trim() || null,
          intake: r.intake,
          author: r.author,
          at: now,
          nextDueAt: schedule?.nextDueAt ?? null,
          nextCallbackAt: schedule?.nextCallbackAt ?? null,
        });
        await changed([t.id]);
        return { ticket: await summary(t, new Map(), new Map()) };
      }),

    'desk.queue': ({ filter, cursor, limit }) =>
      guard(async () => {
        const q = filter.q?.trim();
        if (q) {
          const found = (await searchTickets(store, q, Math.min(limit, 500))).filter(
            (t) =>
              (!filter.contractId || t.contractId === filter.contractId) &&
              (!filter.priority || t.priority === filter.priority) &&
              (!filter.status || t.status === filter.status) &&
              (!filter.assignee || t.assignee === filter.assignee),
          );
          return { items: await summaries(found), next: null };
        }
        const page = await store.tickets.queueFiltered(
          { contractId: filter.contractId ?? null, priority: filter.priority || null, status: filter.status ?? null, assignee: filter.assignee || null },
          { limit, after: cursor ?? null },
        );
        return { items: await summaries(page.items), next: page.next };
      }),

    'desk.ticket': ({ id }) => guard(async () => detail(await requireTicket(id))),

    'desk.act': ({ ticketId, action: a, author }) =>
      guard(async () => {
        const t = await requireTicket(ticketId, 'ticketId');
        checkTransition(t, a);
        let criticalPolicy: string | null = null;
        if (a.type === 'priority' && t.contractId) {
          const c = await requireContract(t.contractId);
          if (!Object.hasOwn(c.policySet.policies, a.policy)) throw new ApiFailure('invalid_request', `policy "${a.policy}" is not in contract ${c.agreementNumber}`, 'action.policy');
          criticalPolicy = c.criticalPolicy;
        }
        // The event(s), the fields and the schedule after the action: computed first, written in one transaction.
        const now = ctx.clock.now();
        const plan = actCalls(t, a, author ?? null, now, criticalPolicy);
        const after = { ...t, status: plan.status };
        const r = await slaOf(ctx, after, { events: slaEvents(after, [...(await store.tickets.events(t.id)), ...plan.appended]), now });
        const schedule = scheduleOf(plan.status, r?.ok ? r.status.targets : null);
        if (schedule) plan.calls.push(op('tickets', 'setSchedule', t.id, schedule));
        await store.batch(plan.calls);
        await changed([ticketId]);
        return detail(await requireTicket(ticketId));
      }),

    'desk.editTicket': ({ ticketId, author, ...fields }) =>
      guard(async () => {
        const t = await requireTicket(ticketId, 'ticketId');
        const c = t.contractId ? await store.customers.getContract(t.contractId) : null;
        const phone = c && fields.reporterPhone !== t.reporterPhone ? phoneIssue(fields.reporterPhone, c, 'reporterPhone') : null;
        if (phone) throw ApiFailure.invalid([phone]);
        // only what changed: one `edited` event naming those fields (and its sync mutations), in one transaction
        const patch = Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== t[k as keyof typeof fields]));
        if (Object.keys(patch).length) {
          await store.tickets.update(ticketId, patch, author ?? null);
          await changed([ticketId]);
        }
        return detail(await requireTicket(ticketId));
      }),

    'desk.users': () => guard(async () => ({ users: await store.tickets.people() })),

    'desk.whatIf': ({ ticketId, action }) =>
      guard(async () => {
        const t = await requireTicket(ticketId, 'ticketId');
        if (action.type === 'priority' && t.contractId) {
          const c = await requireContract(t.contractId);
          if (!Object.hasOwn(c.policySet.policies, action.policy)) throw new ApiFailure('invalid_request', `policy "${action.policy}" is not in contract ${c.agreementNumber}`, 'action.policy');
        }
        const before = evaluated(await evaluate(t));
        const after = evaluated(await evaluate(t, slaEffect(action, ctx.clock.now())));
        return { before: before?.targets ?? [], after: after?.targets ?? [] };
      }),

    'desk.callbacks': ({ withinMinutes }) =>
      guard(async () => {
        const due = await store.tickets.callbacksDue(ctx.clock.now() + withinMinutes * 60_000, 500);
        return { items: await summaries(due.filter((t) => t.status !== 'resolved' && t.status !== 'closed')) };
      }),

    'desk.customers': ({ prefix }) =>
      guard(async () => {
        const out: CustomerView[] = [];
        for (const cu of await store.customers.findCustomers(prefix, 500)) out.push(await customerView(cu));
        return { customers: out };
      }),

    'desk.templates': () => ({ templates: listTemplates().templates }),

    'desk.checkContractFile': ({ file }) => ({ issues: checkContractFile(file) }),

    'desk.importContract': ({ file }) => guard(async () => importContractFile(ctx, file)),

    'desk.calendarMonth': ({ contractId, calendar, month, draft }) =>
      guard(async () => {
        const c = await requireContract(contractId);
        const { first, count } = monthDays(month);
        let cal: CompiledCalendar;
        let json: unknown;
        if (draft !== undefined) {
          json = splitCalendarJsonNightShifts(draft);
          const issues = validateCalendar(json, calendar);
          if (issues.length) {
            const view: CalendarMonthView = { calendar, name: null, timezone: '', month, days: [], issues };
            return view;
          }
          cal = compileCalendar(json, calendar);
        } else {
          const found = (await compiledOrRefuse(c)).calendars.get(calendar);
          if (!found) throw new ApiFailure('not_found', `calendar "${calendar}" is not in contract ${c.agreementNumber}`, 'calendar');
          cal = found;
          json = c.policySet.calendars[calendar];
        }
        const name = (json as { name?: unknown }).name;
        const view: CalendarMonthView = { calendar, name: typeof name === 'string' ? name : null, timezone: cal.timezone, month, days: calendarDays(cal, first, count), issues: [] };
        return view;
      }),

    'desk.checkContractEdit': ({ contractId, policySet }) =>
      guard(async () => {
        const { schedules: _schedules, ...review } = await reviewContractEdit(ctx, await requireContract(contractId), policySet);
        return review;
      }),

    'desk.updateContract': ({ contractId, policySet, version, wording, criticalPolicy }) =>
      guard(async () => {
        const stored = await requireContract(contractId);
        if (stored.version !== version) throw new ApiFailure('conflict', `contract ${stored.agreementNumber} was changed meanwhile (version ${stored.version}, you edited ${version}): reload it`, 'version');
        // the critical policy as the edit leaves it: it must be one of the edited policies
        const c = criticalPolicy === undefined ? stored : { ...stored, criticalPolicy };
        if (criticalPolicy && !Object.hasOwn(policySet.policies, criticalPolicy)) {
          throw new ApiFailure('invalid_request', `names no policy ("${criticalPolicy}" is not in policies)`, 'criticalPolicy');
        }
        // The same review desk.checkContractEdit shows: its first issue refuses the edit, before anything is stored.
        const review = await reviewContractEdit(ctx, c, policySet);
        const first = review.issues[0];
        if (first) throw new ApiFailure('invalid_request', first.message, `policySet.${first.path}`);
        const kept = wording ? Object.fromEntries(Object.entries(wording).map(([k, v]) => [k, v.trim()] as const).filter(([, v]) => v)) : undefined;
        // One transaction: the contract and each open ticket's new schedule.
        const calls = [op('customers', 'updatePolicySet', contractId, review.policySet as PolicySet, version, kept, criticalPolicy)];
        for (const [id, sched] of review.schedules) calls.push(op('tickets', 'setSchedule', id, sched));
        const [saved] = (await store.batch(calls)) as [Contract];
        // new deadlines: re-plan alerts and refresh the UI
        const ids = (await openTicketsOf(ctx, contractId)).map((t) => t.id);
        if (ids.length) await changed(ids);
        return { contract: await contractView(saved), moved: review.moved };
      }),

    'desk.createCustomer': ({ name, orgNumber, notes }) =>
      guardAt('customer', async () => ({ customer: await customerView(await store.customers.createCustomer({ name, orgNumber, notes })) })),

    'desk.updateCustomer': ({ customerId, name, orgNumber, notes }) =>
      guardAt('customer', async () => ({ customer: await customerView(await store.customers.updateCustomer(customerId, { name, orgNumber, notes })) })),

    'desk.createContract': ({ customerId, agreementNumber, name, copyFrom, template }) =>
      guardAt('contract', async () => {
        const from = template ? templateContract(template) : copyFrom ? await requireContract(copyFrom, 'copyFrom') : null;
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
        });
        return contractView(c);
      }),

    'desk.addContact': ({ contractId, ...contact }) =>
      guardAt('contact', async () => {
        await requireContract(contractId);
        return { contact: contactView(await store.customers.addContact(contractId, contact)) };
      }),

    'desk.updateContact': ({ contactId, ...contact }) =>
      guardAt('contact', async () => {
        if (!(await store.customers.getContact(contactId))) throw new ApiFailure('not_found', `contact ${contactId} does not exist`, 'contactId');
        return { contact: contactView(await store.customers.updateContact(contactId, contact)) };
      }),

    'desk.removeContact': ({ contactId }) =>
      guard(async () => {
        if (!(await store.customers.getContact(contactId))) throw new ApiFailure('not_found', `contact ${contactId} does not exist`, 'contactId');
        await store.customers.removeContact(contactId);
        return { removed: true as const };
      }),

    'desk.setSupportCode': ({ contractId, code }) =>
      guard(async () => {
        await requireContract(contractId);
        const value = code === null ? null : code.trim();
        if (value !== null && value.length < 4) throw new ApiFailure('invalid_request', 'must have at least 4 characters (or clear it)', 'code');
        await store.customers.setSupportCode(contractId, value);
        return { hasSupportCode: value !== null };
      }),

    'desk.parseIcs': ({ text }) => {
      try {
        return parseIcsClosedDays(text);
      } catch (err) {
        throw new ApiFailure('invalid_request', (err as Error).message, 'text');
      }
    },

    'desk.exportContract': ({ contractId }) =>
      guard(async () => {
        const c = await requireContract(contractId);
        const cu = await store.customers.getCustomer(c.customerId);
        return { file: exportContractFile(c, cu, await wordingOf(c.id)) };
      }),
  };
}
