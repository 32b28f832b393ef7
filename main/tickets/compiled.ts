/**
 * The compiled-contract cache: each contract's calendars and policies, compiled
 * once per contract version. A local edit and a pulled change both raise the
 * contract's `version` (db/repos/contracts.ts, db/sync-records-apply.ts), so
 * the next look-up with the new version compiles afresh; `invalidate` drops an
 * entry at once. Shared by the ticket-SLA service (sla.ts), the alert planner,
 * the desk's contract pages and the reports.
 */
import { CalendarCache, loadContract } from '../../core/sla/index.js';
import type { Contract as SlaContract } from '../../core/sla/index.js';

export interface ContractSource {
  id: string;
  version: string | number;
  policySet: { calendars?: unknown; policies?: unknown };
}

export class CompiledContracts {
  private readonly byId = new Map<string, { version: string | number; contract: SlaContract }>();
  private readonly calendars = new CalendarCache(256);

  /** The compiled contract of this id and version, if compiled already. */
  hit(id: string, version: string | number): SlaContract | undefined {
    const h = this.byId.get(id);
    return h && h.version === version ? h.contract : undefined;
  }

  /** Compiles (or finds) the contract; throws the engine's SlaError when its SLA cannot be computed. */
  of(c: ContractSource): SlaContract {
    const hit = this.hit(c.id, c.version);
    if (hit) return hit;
    const contract = loadContract(c.policySet, this.calendars);
    this.byId.set(c.id, { version: c.version, contract });
    return contract;
  }

  /** Forgets a contract's compiled policies. */
  invalidate(contractId: string): void {
    this.byId.delete(contractId);
  }
}
