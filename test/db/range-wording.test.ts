/**
 * One rule, one wording (issue 16): an instant or date outside the supported range
 * (core/time-range.ts) is refused with the same words wherever it enters: a request's instant,
 * a request's date, the store's own check of an entered instant (real SQLite), an outage's times.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deskMethods } from '../../core/api/desk.js';
import { termsMethods } from '../../core/api/terms.js';
import { outageIssues } from '../../core/agreements/availability.js';
import { OUT_OF_RANGE } from '../../core/time-range.js';
import { catchErr, cleanupTempDirs, seeded } from './helpers.js';

afterEach(cleanupTempDirs);

/** The message without what follows the rule (", got …"). */
const rule = (m: string | undefined) => m?.replace(/, got .*$/, '');

describe('out of the supported range: one wording', () => {
  it('the request path, a date, the store and an outage say the same', () => {
    const request = deskMethods['desk.act'].request.safeParse({ ticketId: 't', action: { type: 'callback', channel: 'phone', reached: 'Kari', text: 'ok', nextCallbackAt: 1 } });
    const date = termsMethods['agreements.saveAsset'].request.safeParse({ contractId: 'c', serialNumber: 'C02X', purchaseDate: '1999-12-31' });
    const { store, customer, contract } = seeded();
    const t = store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'Nede', reporterPhone: '12345678', intake: {} });
    const stored = catchErr(() => store.tickets.appendEvent(t.id, { type: 'note', at: 1, data: { text: 'x' } })).message;
    const said = {
      request: rule(request.error?.issues[0]?.message),
      date: rule(date.error?.issues[0]?.message),
      store: rule(stored.replace(/^event\.at: /, '')),
      outage: rule(outageIssues({ start: 1 })[0]?.message),
    };
    expect(said).toEqual({ request: OUT_OF_RANGE, date: OUT_OF_RANGE, store: OUT_OF_RANGE, outage: OUT_OF_RANGE });
    expect(OUT_OF_RANGE).toBe('must be between 2000-01-01 and 2999-12-31 (UTC)');
    expect(store.tickets.events(t.id)).toHaveLength(1);
  });
});
