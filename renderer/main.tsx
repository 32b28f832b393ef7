import { print, printing, query } from './boot.js';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.js';
import { App } from './App.js';
import { applyTheme, storedTheme } from './theme.js';
import { ReportPrintRoot, VisitReportPrintRoot } from './lazy-views.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// The theme before the first paint (no light flash at night); the printed report stays light.
if (!printing) applyTheme(storedTheme(localStorage.getItem('vakt.me') ?? ''));
createRoot(root).render(
  <StrictMode>
    <Suspense fallback={null}>{print === 'sla' ? <ReportPrintRoot query={query} /> : print === 'visit' ? <VisitReportPrintRoot query={query} /> : <App />}</Suspense>
  </StrictMode>,
);
