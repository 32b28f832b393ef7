import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.js';
import { App } from './App.js';
import { applyTheme, storedTheme } from './theme.js';
import { ReportPrintRoot } from './views/Reports/index.js';
import { VisitReportPrintRoot } from './views/Maintenance/VisitReport.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
/** `?print=sla&contract=…&month=…`: only the printable report (the PDF renderer loads it; docs/reports.md). */
const query = new URLSearchParams(window.location.search);
// The theme before the first paint (no light flash at night); the printed report stays light.
const print = query.get('print');
if (print !== 'sla' && print !== 'visit') applyTheme(storedTheme(localStorage.getItem('vakt.me') ?? ''));
createRoot(root).render(<StrictMode>{print === 'sla' ? <ReportPrintRoot query={query} /> : print === 'visit' ? <VisitReportPrintRoot query={query} /> : <App />}</StrictMode>);
