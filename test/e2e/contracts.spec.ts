import { test, expect } from './fixtures.js';
import { api, registerTicket, seedAfterHours } from './seed.js';

const NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Weekday index (0 = Monday) and ISO date of now + n days in Copenhagen. */
function localDay(n: number): { i: number; date: string } {
  const at = Date.now() + n * 86_400_000;
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const i = (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
  return { i, date };
}

test('calendar editor: a night shift is split over midnight, the "moves N tickets" notice, save', async ({ page, vakt }) => {
  // office calendar closed today and tomorrow (seed), no public holidays: the ticket's clock starts the day after tomorrow
  const ids = await seedAfterHours(vakt, (f) => delete f.calendars['dk-office'].holidays);
  const tk = await registerTicket(vakt, ids, 'normal', 'Printer on floor 2 jams', 'Printer');
  const dueBefore = (await api(vakt, 'desk.ticket', { id: tk.id })).nextDueAt as number;
  // a night shift entered on tomorrow's weekday spills into the day after tomorrow, which is open
  const d1 = localDay(1);
  const d2 = localDay(2);
  const day1 = NAMES[d1.i]!;
  const day2 = NAMES[d2.i]!;
  const weekend1 = d1.i >= 5;

  await page.goto(vakt.url);
  await page.getByRole('button', { name: 'Contracts' }).click();
  await page.getByRole('button', { name: /SA0009858/ }).click();
  // the month view of the stored calendar
  const grid = page.getByRole('grid');
  await expect(grid).toBeVisible();
  if (d1.date.slice(0, 7) !== localDay(0).date.slice(0, 7)) await page.getByRole('button', { name: 'Next month' }).click();
  await expect(grid.getByRole('gridcell', { name: `${d1.date} ${day1}: special day: closed` })).toBeVisible();

  await page.getByRole('button', { name: 'Edit calendars and policies' }).click();
  const editor = page.getByRole('region', { name: /Edit calendars and policies of SA0009858/ });
  const g1 = editor.getByRole('group', { name: day1, exact: true });
  const g2 = editor.getByRole('group', { name: day2, exact: true });
  await g1.getByRole('button', { name: `Add an interval on ${day1}` }).click();
  const n = weekend1 ? 1 : 2;
  await g1.getByLabel(`${day1} interval ${n} from`).fill('22:00');
  await g1.getByLabel(`${day1} interval ${n} to`).fill('6');
  await editor.getByRole('button', { name: 'Check changes' }).click();
  // the error is shown at the field
  await expect(g1.getByRole('alert')).toContainText('The end must be a time "HH:MM" from 00:01 to 24:00');
  await expect(g1.getByLabel(`${day1} interval ${n} to`)).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.getByRole('button', { name: 'Save changes' })).toBeDisabled();

  await g1.getByLabel(`${day1} interval ${n} to`).fill('06:00');
  // closed days from an .ics file
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:1', 'DTSTART;VALUE=DATE:20311224', 'DTEND;VALUE=DATE:20311226', 'SUMMARY:Jul', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
  await editor.getByLabel('Import closed days from an .ics file').setInputFiles({ name: 'lukket.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
  await expect(editor.getByRole('status').filter({ hasText: 'Added 2 closed days from lukket.ics' })).toBeVisible();
  await expect(editor.getByRole('list', { name: 'Closed dates' })).toContainText('2031-12-25');

  await editor.getByRole('button', { name: 'Check changes' }).click();
  // the split: 22:00-24:00 on tomorrow's weekday, 00:00-06:00 first on the next one
  const last1 = weekend1 ? 1 : 2;
  await expect(g1.getByLabel(`${day1} interval ${last1} from`)).toHaveValue('22:00');
  await expect(g1.getByLabel(`${day1} interval ${last1} to`)).toHaveValue('24:00');
  await expect(g2.getByLabel(`${day2} interval 1 from`)).toHaveValue('00:00');
  await expect(g2.getByLabel(`${day2} interval 1 to`)).toHaveValue('06:00');
  await expect(page.getByTestId('edit-impact')).toContainText('This change moves the deadlines of 1 of 1 open ticket(s).');
  await expect(page.getByTestId('edit-impact')).toContainText(tk.caseNumber);
  // the month preview of the edited calendar, from the engine
  if (d2.date.slice(0, 7) !== localDay(0).date.slice(0, 7)) await editor.getByRole('button', { name: 'Next month' }).click();
  await expect(editor.getByRole('grid').getByRole('gridcell', { name: new RegExp(`^${d2.date} ${day2}: 00:00–06:00`) })).toBeVisible();

  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('edit-impact')).toContainText('Saved. 1 open ticket got new deadlines.');
  const c = await api(vakt, 'desk.contract', { contractId: ids.contractId });
  expect(c.version).toBe(2);
  const cal = c.policySet.calendars['dk-office'];
  expect(cal.week[KEYS[d1.i]!].at(-1)).toEqual(['22:00', '24:00']);
  expect(cal.week[KEYS[d2.i]!][0]).toEqual(['00:00', '06:00']);
  expect(cal.closed).toEqual(expect.arrayContaining(['2031-12-24', '2031-12-25']));
  const after = await api(vakt, 'desk.ticket', { id: tk.id });
  expect(after.nextDueAt).toBeLessThan(dueBefore);
});
