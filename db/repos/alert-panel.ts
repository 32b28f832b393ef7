/**
 * The Alerts panel's reads (docs/alerts.md "The panel's list"): a page of the active alerts with
 * their tickets' customers, and the active alerts of one customer, each in one query.
 */
import type { Ctx } from '../context.js';
import { toAlert } from './notifications.js';
import type { AlertRecord } from './notifications.js';

type Row = Record<string, unknown>;

/** The panel's page, in its order from the index of migration 0022 (no sort). */
export const ALERT_PANEL_QUERIES = {
  page: `SELECT n.*, t.customer_id AS p_customer_id, c.name AS p_customer_name FROM notifications n
         LEFT JOIN tickets t ON t.id = n.ticket_id LEFT JOIN customers c ON c.id = t.customer_id
         WHERE n.state = 'active' ORDER BY n.due_at, n.created_at, n.id LIMIT ? OFFSET ?`,
} as const;

/** An active alert with its ticket's customer (null when the ticket is gone). */
export interface PanelAlert extends AlertRecord {
  customerId: string | null;
  customerName: string | null;
}

export interface AlertPage {
  alerts: PanelAlert[];
  /** Every active alert, and the critical ones among them. */
  total: number;
  critical: number;
}

const withCustomer = (r: Row): PanelAlert => ({ ...toAlert(r), customerId: (r.p_customer_id as string | null) ?? null, customerName: (r.p_customer_name as string | null) ?? null });

export class AlertPanelRepo {
  private readonly s;
  constructor(ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      // The panel's order: soonest due first (as NotificationsRepo.active), then id, so an offset is stable.
      page: db.prepare(ALERT_PANEL_QUERIES.page),
      counts: db.prepare(`SELECT count(*) AS n, coalesce(sum(critical = 1), 0) AS crit FROM notifications INDEXED BY notifications_active WHERE state = 'active'`),
      ofCustomer: db.prepare(`SELECT n.* FROM notifications n JOIN tickets t ON t.id = n.ticket_id WHERE n.state = 'active' AND t.customer_id = ? ORDER BY n.due_at, n.created_at, n.id`),
    };
  }

  /** `limit` active alerts from `offset`, in the panel's order, with the counts of all of them. */
  page(offset: number, limit: number): AlertPage {
    const { n, crit } = this.s.counts.get() as { n: number; crit: number };
    return { alerts: (this.s.page.all(limit, offset) as Row[]).map(withCustomer), total: n, critical: crit };
  }

  /** The active alerts of one customer's tickets. */
  activeOfCustomer(customerId: string): AlertRecord[] {
    return (this.s.ofCustomer.all(customerId) as Row[]).map(toAlert);
  }
}
