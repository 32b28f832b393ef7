/**
 * The views the queue's first paint does not need, each loaded on first use
 * from a chunk of its own (esbuild's code splitting, scripts/build.mjs): the
 * forms' schemas (zod, libphonenumber, luxon through core/api) are in theirs,
 * so the first bundle the page evaluates is the shell, Home and the Queue.
 *
 * `prefetchViews()` loads them all once the page is idle, after the start, so
 * that a later view switch does not wait for its chunk.
 */
import { lazy } from 'react';

const loaders = {
  intake: () => import('./views/Intake/index.js').then((m) => ({ default: m.Intake })),
  ticket: () => import('./views/Ticket/index.js').then((m) => ({ default: m.Ticket })),
  callbacks: () => import('./views/Callbacks/index.js').then((m) => ({ default: m.Callbacks })),
  contracts: () => import('./views/Contracts/index.js').then((m) => ({ default: m.Contracts })),
  reports: () => import('./views/Reports/index.js').then((m) => ({ default: m.Reports })),
  billing: () => import('./views/Billing/index.js').then((m) => ({ default: m.Billing })),
  field: () => import('./views/Field/index.js').then((m) => ({ default: m.Field })),
  rota: () => import('./views/Rota/index.js').then((m) => ({ default: m.Rota })),
  syncPanel: () => import('./views/SyncPanel/index.js').then((m) => ({ default: m.SyncPanel })),
};

export const Intake = lazy(loaders.intake);
export const Ticket = lazy(loaders.ticket);
export const Callbacks = lazy(loaders.callbacks);
export const Contracts = lazy(loaders.contracts);
export const Reports = lazy(loaders.reports);
export const Billing = lazy(loaders.billing);
export const Field = lazy(loaders.field);
export const Rota = lazy(loaders.rota);
export const SyncPanel = lazy(loaders.syncPanel);

/** The printable pages (`?print=`, the PDF renderer): only the one asked for is loaded. */
export const ReportPrintRoot = lazy(() => import('./views/Reports/index.js').then((m) => ({ default: m.ReportPrintRoot })));
export const VisitReportPrintRoot = lazy(() => import('./views/Maintenance/VisitReport.js').then((m) => ({ default: m.VisitReportPrintRoot })));

let prefetched = false;
/** Loads every view's chunk when the page is next idle (once); a failed load is left to the view's own first use. */
export function prefetchViews(): void {
  if (prefetched) return;
  prefetched = true;
  const all = () => Object.values(loaders).forEach((load) => void load().catch(() => undefined));
  if ('requestIdleCallback' in window) requestIdleCallback(all, { timeout: 5_000 });
  else setTimeout(all, 500);
}
