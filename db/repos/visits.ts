/**
 * Planned visits (docs/maintenance.md): the contracts that plan any, and a
 * contract's visit tickets by due date (index `tickets_visits`, migration
 * 0015). The tickets themselves are written by `tickets.register` with the
 * visit's derived id, so a repeated or concurrent creation makes one ticket.
 */
import type { Ctx } from '../context.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { publishRecord } from '../sync-records.js';
import type { Contract, CustomersRepo } from './customers.js';
import type { Ticket, TicketsRepo } from './tickets.js';

/** The SQL of the queries (exported so tests can EXPLAIN them). */
export const VISIT_QUERIES = {
  contractsWithPlans: `SELECT id FROM contracts WHERE maintenance IS NOT NULL AND json_array_length(maintenance) > 0 ORDER BY agreement_number`,
  ofContract: `SELECT id FROM tickets WHERE contract_id = @contract AND json_extract(intake, '$.visit_kind') IS NOT NULL
    AND json_extract(intake, '$.visit_due') >= @from AND json_extract(intake, '$.visit_due') < @to ORDER BY json_extract(intake, '$.visit_due'), id`,
} as const;

export class VisitsRepo {
  private readonly s;
  constructor(
    private readonly ctx: Ctx,
    private readonly customers: CustomersRepo,
    private readonly tickets: TicketsRepo,
  ) {
    this.s = {
      contractsWithPlans: ctx.db.prepare(VISIT_QUERIES.contractsWithPlans).pluck(),
      ofContract: ctx.db.prepare(VISIT_QUERIES.ofContract).pluck(),
      setLevel: ctx.db.prepare(`UPDATE contracts SET default_policy = ?, updated_at = ?, version = version + 1, hlc = ? WHERE id = ?`),
    };
  }

  /** Contracts with at least one maintenance plan. */
  contractsWithPlans(): Contract[] {
    return (this.s.contractsWithPlans.all() as string[]).map((id) => this.customers.getContract(id)).filter((c): c is Contract => c !== null);
  }

  /**
   * Sets the contract's service level: its default policy, which picks the
   * plans that apply (and the policy new calls get). Outbox `record.put@1`.
   */
  setLevel(contractId: string, policy: string): Contract {
    return this.ctx.tx(() => {
      const c = this.customers.getContract(contractId);
      if (!c) throw new NotFoundError(`contract ${contractId} does not exist`);
      if (!Object.hasOwn(c.policySet.policies, policy))
        throw new ValidationError(`policy "${policy}" is not in contract ${c.agreementNumber} (has: ${Object.keys(c.policySet.policies).join(', ')})`, 'level');
      const hlc = this.ctx.hlc.now();
      this.s.setLevel.run(policy, this.ctx.clock.now(), hlc, contractId);
      publishRecord(this.ctx, 'contract', contractId, hlc);
      return this.customers.getContract(contractId) as Contract;
    });
  }

  /** The contract's planned-visit tickets due on local dates in [fromDue, toDue) (YYYY-MM-DD), by due date. */
  ofContract(contractId: string, fromDue: string, toDue: string): Ticket[] {
    return (this.s.ofContract.all({ contract: contractId, from: fromDue, to: toDue }) as string[]).map((id) => this.tickets.get(id)).filter((t): t is Ticket => t !== null);
  }
}
