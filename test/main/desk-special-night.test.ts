/** A special day's night shift through the desk: checked, split over midnight, shown in the month view. */
import { expect, it } from 'vitest';
import { editablePolicySet, exampleContract, servicesPerTest, weekOf } from '../helpers/services.js';

const example = exampleContract();
const services = servicesPerTest(); // Friday 2026-03-27 15:30 Copenhagen
const { call } = services;

it('a special day 22:00-06:00 is stored as 22:00-24:00 on the date and 00:00-06:00 plus the weekly hours on the next date', async () => {
  const imp = await services.importContract(example);
  const c = await call('desk.contract', { contractId: imp.contractId });
  const ps = editablePolicySet(c);
  const office = ps.calendars['dk-office']!;
  office.special = { ...(office.special ?? {}), '2026-04-14': [['22:00', '06:00']] }; // Tuesday night into Wednesday
  const week = weekOf(office).wed;
  const check = await call('desk.checkContractEdit', { contractId: c.id, policySet: ps });
  expect(check.issues).toEqual([]);
  expect(editablePolicySet(check).calendars['dk-office']!.special!['2026-04-14']).toEqual([['22:00', '24:00']]);
  expect(editablePolicySet(check).calendars['dk-office']!.special!['2026-04-15']).toEqual([['00:00', '06:00'], ...week]);
  const m = await call('desk.calendarMonth', { contractId: c.id, calendar: 'dk-office', month: '2026-04', draft: office });
  const day = (d: string) => m.days.find((x) => x.date === d);
  expect(day('2026-04-14')).toMatchObject({ rule: 'special', intervals: [['22:00', '24:00']] });
  expect(day('2026-04-15')).toMatchObject({ rule: 'special', intervals: [['00:00', '06:00'], ...week] });
  const saved = await call('desk.updateContract', { contractId: c.id, policySet: ps, version: c.version });
  expect(editablePolicySet(saved.contract).calendars['dk-office']!.special!['2026-04-15']).toEqual([['00:00', '06:00'], ...week]);
});
