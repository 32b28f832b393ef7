/**
 * Customers and what hangs off them, one repo per aggregate: the customer (customer-repo.ts), its
 * contracts with contacts and support code (contracts.ts), its sites and assets (sites-assets.ts);
 * schemas and shapes in customer-schemas.ts. This class is their one face (`store.customers.*`).
 */
import type { Ctx } from '../context.js';
import { ContractRepo } from './contracts.js';
import { CustomerRepo } from './customer-repo.js';
import type { Asset, AssetInput, CallerMatch, Contact, ContactInput, Contract, ContractInput, Customer, CustomerInput, PolicySet, Site, SiteInput } from './customer-schemas.js';
import { SiteAssetRepo } from './sites-assets.js';

export * from './customer-schemas.js';
export { clampLimit } from '../paging.js';

export class CustomersRepo {
  private readonly customer: CustomerRepo;
  private readonly contracts: ContractRepo;
  private readonly sitesAssets: SiteAssetRepo;
  constructor(ctx: Ctx) {
    this.customer = new CustomerRepo(ctx);
    this.contracts = new ContractRepo(ctx, this.customer);
    this.sitesAssets = new SiteAssetRepo(ctx, this.customer);
  }

  createCustomer(input: CustomerInput): Customer {
    return this.customer.createCustomer(input);
  }

  getCustomer(id: string): Customer | null {
    return this.customer.getCustomer(id);
  }

  /** Customers whose name starts with `prefix` (case-insensitive). */
  findCustomers(prefix: string, limit = 50): Customer[] {
    return this.customer.findCustomers(prefix, limit);
  }

  /** Changes a customer's name, org number and notes (all three are given; null clears). Outbox `record.put@1`. */
  updateCustomer(id: string, input: CustomerInput): Customer {
    return this.customer.updateCustomer(id, input);
  }

  createContract(input: ContractInput): Contract {
    return this.contracts.createContract(input);
  }

  addContact(contractId: string, input: ContactInput): Contact {
    return this.contracts.addContact(contractId, input);
  }

  getContact(id: string): Contact | null {
    return this.contracts.getContact(id);
  }

  /** Replaces an authorised contact's name, phone, e-mail and role. Outbox `record.put@1`. */
  updateContact(contactId: string, input: ContactInput): Contact {
    return this.contracts.updateContact(contactId, input);
  }

  /** Removes an authorised contact from its contract (the caller is no longer recognised). Outbox `record.put@1` (deleted). */
  removeContact(contactId: string): void {
    this.contracts.removeContact(contactId);
  }

  getContract(id: string): Contract | null {
    return this.contracts.getContract(id);
  }

  /** What a list of tickets names, in one call: these customers' names and these contracts (unknown ids are left out). */
  listContext(customerIds: readonly string[], contractIds: readonly string[]): { names: Record<string, string>; contracts: Contract[] } {
    const names: Record<string, string> = {};
    for (const id of new Set(customerIds)) {
      const c = this.customer.getCustomer(id);
      if (c) names[id] = c.name;
    }
    const contracts: Contract[] = [];
    for (const id of new Set(contractIds)) {
      const c = this.contracts.getContract(id);
      if (c) contracts.push(c);
    }
    return { names, contracts };
  }

  contractByAgreementNumber(agreementNumber: string): Contract | null {
    return this.contracts.contractByAgreementNumber(agreementNumber);
  }

  contractsOf(customerId: string): Contract[] {
    return this.contracts.contractsOf(customerId);
  }

  /** Checks a support code given by a caller (constant-time compare of scrypt hashes). */
  verifySupportCode(contractId: string, code: string): boolean {
    return this.contracts.verifySupportCode(contractId, code);
  }

  setSupportCode(contractId: string, code: string | null): void {
    this.contracts.setSupportCode(contractId, code);
  }

  /**
   * Replaces a contract's calendars and policies (the calendar editor). The
   * version goes up (the SLA planner recompiles); the outbox mutation is
   * written in the same transaction. `expectedVersion`, when given, must be
   * the stored one (else ConflictError: someone else changed it meanwhile).
   * `wording`, when given, replaces the agreement's wording in the same change.
   */
  updatePolicySet(contractId: string, policySet: PolicySet, expectedVersion?: number | null, wording?: Record<string, unknown>, criticalPolicy?: string | null): Contract {
    return this.contracts.updatePolicySet(contractId, policySet, expectedVersion, wording, criticalPolicy);
  }

  /**
   * Sets a contract's rate card, inspection checklist or the agreement's
   * wording (undefined: unchanged; null: cleared). They travel with the
   * contract record (outbox `record.put@1`). The callers validate the shapes.
   */
  setContractDetails(
    contractId: string,
    patch: { rateCard?: unknown; checklist?: Record<string, unknown>[] | null; wording?: Record<string, unknown> | null; maintenance?: unknown[] | null },
  ): Contract {
    return this.contracts.setContractDetails(contractId, patch);
  }

  /** Who is calling: authorised contacts whose phone number matches (digits compared). */
  contactsByPhone(phone: string): CallerMatch[] {
    return this.contracts.contactsByPhone(phone);
  }

  createSite(input: SiteInput): Site {
    return this.sitesAssets.createSite(input);
  }

  getSite(id: string): Site | null {
    return this.sitesAssets.getSite(id);
  }

  sitesOf(customerId: string): Site[] {
    return this.sitesAssets.sitesOf(customerId);
  }

  createAsset(input: AssetInput): Asset {
    return this.sitesAssets.createAsset(input);
  }

  getAsset(id: string): Asset | null {
    return this.sitesAssets.getAsset(id);
  }

  assetsBySerial(serial: string): Asset[] {
    return this.sitesAssets.assetsBySerial(serial);
  }
}
