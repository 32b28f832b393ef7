/**
 * Records made through the desk's contract (real services), for the service tests of alerts: a new
 * customer with a contract and a contact, and one phone call registered per description.
 */
import type { Method, Request, Result } from '../../core/api/contract.js';

type Call = <M extends Method>(method: M, req: Request<M>) => Promise<Result<M>>;

/**
 * Customer `name` with contract `agreementNumber` and contact Hanne Olsen, and one ticket per description,
 * authorised by her. A new contract has no critical policy (issue 15 item 1), so each call is a normal one;
 * its breach two days later is a critical alert all the same.
 */
export async function customerWithTickets(call: Call, name: string, agreementNumber: string, descriptions: readonly string[]) {
  const { customer } = await call('desk.createCustomer', { name, orgNumber: null, notes: '' });
  const c = await call('desk.createContract', { customerId: customer.id, agreementNumber });
  const { contact } = await call('desk.addContact', { contractId: c.id, name: 'Hanne Olsen', phone: '+45 72 12 00 00' });
  const tickets: Result<'desk.register'>['ticket'][] = [];
  for (const description of descriptions) {
    const { ticket } = await call('desk.register', {
      customerId: customer.id,
      contractId: c.id,
      policy: c.defaultPolicy!,
      critical: false,
      channel: 'phone',
      authorisedBy: 'contact',
      contactId: contact.id,
      description,
      intake: {},
    });
    tickets.push(ticket);
  }
  return { customer, tickets };
}
