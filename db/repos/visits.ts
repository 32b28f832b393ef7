/**
 * Planned visits (docs/maintenance.md): the contracts that plan any, and a
 * contract's visit tickets by due date (index `tickets_visits`, migration
 * 0015). The tickets themselves are written by `tickets.register` with the
 * visit's derived id, so a repeated or concurrent creation makes one ticket.
 */
import type { Ctx } from '../context.js';
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
    ctx: Ctx,
    private readonly customers: CustomersRepo,
    private readonly tickets: TicketsRepo,
  ) {
    this.s = { contractsWithPlans: ctx.db.prepare(VISIT_QUERIES.contractsWithPlans).pluck(), ofContract: ctx.db.prepare(VISIT_QUERIES.ofContract).pluck() };
  }

  /** Contracts with at least one maintenance plan. */
  contractsWithPlans(): Contract[] {
    return (this.s.contractsWithPlans.all() as string[]).map((id) => this.customers.getContract(id)).filter((c): c is Contract => c !== null);
  }

  /** The contract's planned-visit tickets due on local dates in [fromDue, toDue) (YYYY-MM-DD), by due date. */
  ofContract(contractId: string, fromDue: string, toDue: string): Ticket[] {
    return (this.s.ofContract.all({ contract: contractId, from: fromDue, to: toDue }) as string[]).map((id) => this.tickets.get(id)).filter((t): t is Ticket => t !== null);
  }
}
