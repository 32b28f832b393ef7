/** Customers and the contacts of their contracts: core/api/desk.ts, docs/desk.md. */
import type { CustomerView, deskMethods } from '../../../core/api/desk.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { guard, guardAt } from '../../api/guard.js';
import { requireContract } from '../../api/require.js';
import type { AppContext } from '../../app/context.js';
import { contactView, ticketViews } from '../../tickets/views.js';

export function customersHandlers(
  ctx: AppContext,
): Pick<HandlersFor<typeof deskMethods>, 'desk.customers' | 'desk.createCustomer' | 'desk.updateCustomer' | 'desk.addContact' | 'desk.updateContact' | 'desk.removeContact'> {
  const store = ctx.store;
  const { customerView } = ticketViews(ctx);

  return {
    'desk.customers': ({ prefix }) =>
      guard(async () => {
        const out: CustomerView[] = [];
        for (const cu of await store.customers.findCustomers(prefix, 500)) out.push(await customerView(cu));
        return { customers: out };
      }),

    'desk.createCustomer': ({ name, orgNumber, notes }) => guardAt('customer', async () => ({ customer: await customerView(await store.customers.createCustomer({ name, orgNumber, notes })) })),

    'desk.updateCustomer': ({ customerId, name, orgNumber, notes }) =>
      guardAt('customer', async () => ({ customer: await customerView(await store.customers.updateCustomer(customerId, { name, orgNumber, notes })) })),

    'desk.addContact': ({ contractId, ...contact }) =>
      guardAt('contact', async () => {
        await requireContract(store, contractId);
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
  };
}
