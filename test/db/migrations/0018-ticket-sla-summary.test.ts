/** 0018 tickets.sla_summary: the SLA summary stored with each change, read back with the ticket (the queue's rows). */
import { afterEach, describe, expect, it } from 'vitest';
import { parseInput } from '../../../db/context.js';
import { ValidationError } from '../../../db/errors.js';
import { scheduleInput } from '../../../db/repos/ticket-schemas.js';
import { catchErr, cleanupTempDirs, createDB, seeded, updateToVersion } from '../helpers.js';

afterEach(cleanupTempDirs);

const summary = {
  at: Date.UTC(2026, 2, 27, 14, 30),
  contractVersion: 1,
  policy: 'normal',
  targets: [
    {
      metric: 'response' as const,
      state: 'running' as const,
      dueAt: Date.UTC(2026, 2, 27, 16, 30),
      stoppedAt: null,
      startedAt: Date.UTC(2026, 2, 27, 14, 30),
      breached: false,
      elapsedMinutes: 0,
      remainingMinutes: 120,
      timezone: 'Europe/Copenhagen',
    },
  ],
};

describe('0018-ticket-sla-summary', () => {
  it('adds tickets.sla_summary, NULL for the tickets already stored', () => {
    const db = createDB();
    updateToVersion(db, 17);
    expect((db.prepare(`SELECT name FROM pragma_table_info('tickets')`).all() as { name: string }[]).map((c) => c.name)).not.toContain('sla_summary');
    updateToVersion(db, 18);
    const col =
      (db.prepare(`SELECT name, type, "notnull" AS nn, dflt_value AS d FROM pragma_table_info('tickets') WHERE name = 'sla_summary'`).get() as {
        name: string;
        type: string;
        nn: number;
        d: unknown;
      }) ?? null;
    expect(col).toEqual({ name: 'sla_summary', type: 'TEXT', nn: 0, d: null });
  });

  it('register and setSchedule store it in their transaction; the ticket carries it; a bad one is refused at its field and stores nothing', () => {
    const { store, customer, contract } = seeded();
    const t = store.tickets.register({
      customerId: customer.id,
      contractId: contract.id,
      channel: 'phone',
      intake: { fault_description: 'nede', mobile_number: '+45 20 00 00 00' },
      nextDueAt: summary.targets[0]?.dueAt,
      sla: summary,
    });
    expect(store.tickets.get(t.id)?.sla).toEqual(summary);
    // the repo takes it typed; a caller at an entry validates it with the repo's schema (docs/architecture.md "Where input is validated")
    const err = catchErr(() =>
      store.tickets.setSchedule(t.id, parseInput(scheduleInput, { nextDueAt: summary.at, sla: { ...summary, targets: [{ ...summary.targets[0], state: 'late' }] } }, 'schedule')),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toMatch(/schedule\.sla/);
    expect(store.tickets.get(t.id)).toMatchObject({ nextDueAt: summary.targets[0]?.dueAt, sla: summary });
    const why = { at: summary.at, contractVersion: 2, error: 'policy "normal" is not in contract SA0009858' };
    store.tickets.setSchedule(t.id, { sla: why });
    expect(store.tickets.get(t.id)).toMatchObject({ nextDueAt: summary.targets[0]?.dueAt, sla: why });
    // absent: kept
    store.tickets.setSchedule(t.id, { nextDueAt: null });
    expect(store.tickets.get(t.id)?.sla).toEqual(why);
  });
});
