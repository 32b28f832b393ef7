/** Handlers for the duty officer desk (core/api/desk.ts, docs/desk.md), one file per area. */
import type { deskMethods } from '../../../core/api/desk.js';
import type { HandlersFor } from '../../api/dispatch.js';
import type { AppContext } from '../../app/context.js';
import { calendarHandlers } from './calendar.js';
import { contractsHandlers } from './contracts.js';
import { customersHandlers } from './customers.js';
import { intakeHandlers } from './intake.js';
import { queueHandlers } from './queue.js';
import { ticketHandlers } from './ticket.js';

export function deskHandlers(ctx: AppContext): HandlersFor<typeof deskMethods> {
  return { ...intakeHandlers(ctx), ...queueHandlers(ctx), ...ticketHandlers(ctx), ...contractsHandlers(ctx), ...customersHandlers(ctx), ...calendarHandlers(ctx) };
}
