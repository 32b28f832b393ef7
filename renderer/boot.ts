/**
 * The first module the page evaluates (renderer/main.tsx imports it first):
 * which page this is, and the queue's first page asked for at once, before
 * React and the dictionaries are evaluated (./views/Queue/first-page.ts).
 */
import { prefetchFirstPage } from './views/Queue/first-page.js';

/** `?print=sla&contract=…&month=…`: only the printable report (the PDF renderer loads it; docs/reports.md). */
export const query = new URLSearchParams(window.location.search);
export const print = query.get('print');
export const printing = print === 'sla' || print === 'visit';
if (!printing) prefetchFirstPage();
