import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.js';
import { App } from './App.js';
import { applyTheme, storedTheme } from './theme.js';
import { ReportPrintRoot } from './views/Reports/index.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
/** `?print=sla&contract=…&month=…`: only the printable report (the PDF renderer loads it; docs/reports.md). */
const query = new URLSearchParams(window.location.search);
// The theme before the first paint (no light flash at night); the printed report stays light.
if (query.get('print') !== 'sla') applyTheme(storedTheme(localStorage.getItem('vakt.me') ?? ''));
createRoot(root).render(
  <StrictMode>
    {query.get('print') === 'sla' ? <ReportPrintRoot query={query} /> : <App />}
  </StrictMode>,
);
