/**
 * Services and outages on the device (issue 20 item 2, docs/availability.md):
 * a contract's `services` (contracts.services) and the outages of its
 * services (outages), each change sent as the contract's or the outage's
 * `record.put@1` in the same transaction. Checked like the sync server checks
 * them (`servicesIssues`, `outageIssues`).
 */
import { outageIssues, servicesIssues } from '../../core/agreements/availability.js';
import { parseCaseNumber } from '../../core/ids/case-number.js';
import type { ServiceTarget } from '../../core/agreements/availability.js';
import type { OutageSource } from '../../core/agreements/outage-record.js';
import type { OutageView } from '../../core/api/availability.js';
import type { Ctx } from '../context.js';
import { json, parseJson } from '../context.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { publishRecord } from '../sync-records.js';

type Row = Record<string, unknown>;

export interface ServiceContract {
  id: string;
  agreementNumber: string;
  name: string | null;
  customerName: string;
  services: ServiceTarget[];
  /** The contract's calendars (a service may count over one). */
  calendars: Record<string, unknown>;
}

/** An outage as the app shows it (core/api/agreements.ts). */
export type StoredOutage = OutageView;

export interface OutageInput {
  /** Given: change that outage (its end, say); omitted: a new one. */
  id?: string;
  contractId: string;
  serviceId: string;
  ticketId?: string | null;
  /** The ticket by its case number (as typed), instead of ticketId. */
  caseNumber?: string | null;
  start: number;
  end?: number | null;
  summary?: string | null;
}

const toOutage = (r: Row): StoredOutage => ({
  id: r.id as string,
  contractId: r.contract_id as string,
  serviceId: r.service_id as string,
  ticketId: (r.ticket_id as string | null) ?? null,
  caseNumber: (r.case_number as string | null | undefined) ?? null,
  start: r.start_at as number,
  end: (r.end_at as number | null) ?? null,
  source: r.source as OutageSource,
  summary: (r.summary as string | null) ?? null,
});

export class AvailabilityRepo {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      contract: db.prepare('SELECT id, policy_set, services FROM contracts WHERE id = ?'),
      setServices: db.prepare('UPDATE contracts SET services = ?, updated_at = ?, hlc = ?, version = version + 1 WHERE id = ?'),
      withServices: db.prepare(
        `SELECT c.id, c.agreement_number, c.name, c.services, c.policy_set, cu.name AS customer_name FROM contracts c JOIN customers cu ON cu.id = c.customer_id
          WHERE c.services IS NOT NULL AND c.services <> '[]' ORDER BY cu.name, c.agreement_number`,
      ),
      get: db.prepare('SELECT * FROM outages WHERE id = ?'),
      ins: db.prepare(
        `INSERT INTO outages (id, contract_id, service_id, ticket_id, start_at, end_at, source, summary, created_at, updated_at, hlc)
         VALUES (@id, @contract_id, @service_id, @ticket_id, @start_at, @end_at, @source, @summary, @now, @now, @hlc)`,
      ),
      upd: db.prepare('UPDATE outages SET ticket_id = @ticket_id, start_at = @start_at, end_at = @end_at, summary = @summary, updated_at = @now, hlc = @hlc, version = version + 1 WHERE id = @id'),
      between: db.prepare(
        `SELECT o.*, t.case_number FROM outages o LEFT JOIN tickets t ON t.id = o.ticket_id
          WHERE o.contract_id = ? AND o.service_id = ? AND o.start_at < ? AND (o.end_at IS NULL OR o.end_at > ?) ORDER BY o.start_at, o.id`,
      ),
      ofTicket: db.prepare('SELECT o.*, t.case_number FROM outages o LEFT JOIN tickets t ON t.id = o.ticket_id WHERE o.ticket_id = ? ORDER BY o.start_at'),
      ticket: db.prepare('SELECT contract_id FROM tickets WHERE id = ?'),
      byNumber: db.prepare('SELECT id FROM tickets WHERE case_number = ?'),
    };
  }

  /** Sets (or clears with null / []) a contract's services; sent with the contract record. */
  setServices(contractId: string, services: unknown[] | null): ServiceTarget[] {
    return this.ctx.tx(() => {
      const r = this.s.contract.get(contractId) as Row | undefined;
      if (!r) throw new NotFoundError(`contract ${contractId} does not exist`);
      const calendars = parseJson<{ calendars?: Record<string, unknown> }>(r.policy_set as string, {}).calendars ?? {};
      const bad = servicesIssues(services, new Set(Object.keys(calendars)))[0];
      if (bad) throw new ValidationError(bad.message, bad.path);
      const hlc = this.ctx.hlc.now();
      this.s.setServices.run(services && services.length ? json(services) : null, this.ctx.clock.now(), hlc, contractId);
      publishRecord(this.ctx, 'contract', contractId, hlc);
      return (services ?? []) as ServiceTarget[];
    });
  }

  /** Contracts that name services, with their customer's name. */
  contractsWithServices(): ServiceContract[] {
    return (this.s.withServices.all() as Row[]).map((r) => ({
      id: r.id as string,
      agreementNumber: r.agreement_number as string,
      name: (r.name as string | null) ?? null,
      customerName: r.customer_name as string,
      services: parseJson<ServiceTarget[]>(r.services as string, []),
      calendars: parseJson<{ calendars?: Record<string, unknown> }>(r.policy_set as string, {}).calendars ?? {},
    }));
  }

  /** The services of a contract ([] when none, or no such contract). */
  servicesOf(contractId: string): ServiceTarget[] {
    const r = this.s.contract.get(contractId) as Row | undefined;
    return r ? parseJson<ServiceTarget[]>(r.services as string | null, []) : [];
  }

  /** Outages of a service that overlap [from, to). */
  outagesBetween(contractId: string, serviceId: string, from: number, to: number): StoredOutage[] {
    return (this.s.between.all(contractId, serviceId, to, from) as Row[]).map(toOutage);
  }

  outagesOfTicket(ticketId: string): StoredOutage[] {
    return (this.s.ofTicket.all(ticketId) as Row[]).map(toOutage);
  }

  /**
   * Records an outage by hand (source `manual`), or changes one (any source: its end, the ticket,
   * the summary). The contract must name the service; a ticket given must be of that contract.
   */
  putOutage(input: OutageInput): StoredOutage {
    return this.ctx.tx(() => {
      const existing = input.id ? (this.s.get.get(input.id) as Row | undefined) : undefined;
      if (input.id && !existing) throw new NotFoundError(`outage ${input.id} does not exist`);
      const c = this.s.contract.get(input.contractId) as Row | undefined;
      if (!c) throw new NotFoundError(`contract ${input.contractId} does not exist`);
      const services = parseJson<ServiceTarget[]>(c.services as string | null, []);
      if (!services.some((s) => s.id === input.serviceId))
        throw new ValidationError(`the contract has no service "${input.serviceId}" (services: ${services.map((s) => s.id).join(', ') || 'none'})`, 'serviceId');
      if (existing && (existing.contract_id !== input.contractId || existing.service_id !== input.serviceId)) throw new ValidationError('an outage stays with its contract and service', 'serviceId');
      let ticketId = input.ticketId ?? null;
      if (!ticketId && input.caseNumber?.trim()) {
        let canonical: string;
        try {
          canonical = parseCaseNumber(input.caseNumber).canonical;
        } catch (e) {
          throw new ValidationError((e as Error).message, 'caseNumber');
        }
        ticketId = ((this.s.byNumber.get(canonical) as Row | undefined)?.id as string | undefined) ?? null;
        if (!ticketId) throw new ValidationError(`no ticket ${canonical} on this device`, 'caseNumber');
      }
      if (ticketId) {
        const t = this.s.ticket.get(ticketId) as Row | undefined;
        if (!t) throw new NotFoundError(`ticket ${ticketId} does not exist`);
        if (t.contract_id !== input.contractId) throw new ValidationError('the ticket is not on this contract', input.caseNumber ? 'caseNumber' : 'ticketId');
      }
      const bad = outageIssues({ start: input.start, end: input.end ?? null })[0];
      if (bad) throw new ValidationError(bad.message, bad.path);
      const summary = input.summary?.trim() ? input.summary.trim().slice(0, 500) : null;
      const hlc = this.ctx.hlc.now();
      const id = input.id ?? this.ctx.newId();
      const row = {
        id,
        contract_id: input.contractId,
        service_id: input.serviceId,
        ticket_id: ticketId,
        start_at: input.start,
        end_at: input.end ?? null,
        source: 'manual',
        summary,
        now: this.ctx.clock.now(),
        hlc,
      };
      (existing ? this.s.upd : this.s.ins).run(row);
      publishRecord(this.ctx, 'outage', id, hlc);
      return toOutage({ ...(this.s.get.get(id) as Row), case_number: null });
    });
  }
}
