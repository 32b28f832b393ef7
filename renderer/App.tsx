import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage } from './i18n/index.js';
import type { Language } from './i18n/index.js';
import { useApp } from './store.js';
import type { View } from './store.js';
import { bridge } from './transport.js';
import { AlertBadge, AlertsPanel, useAlertFeed } from './views/Alerts.js';
import { Shortcuts } from './views/Shortcuts.js';
import { SyncStatus } from './views/SyncStatus.js';
import { SyncPanel } from './views/SyncPanel.js';
import { Callbacks } from './views/Callbacks.js';
import { Contracts } from './views/Contracts.js';
import { Field } from './views/Field.js';
import { Intake } from './views/Intake.js';
import { Queue } from './views/Queue.js';
import { Billing } from './views/Billing.js';
import { Reports } from './views/Reports.js';
import { Ticket } from './views/Ticket.js';

const NAV: Array<Exclude<View, 'home' | 'ticket'>> = ['intake', 'queue', 'callbacks', 'contracts', 'reports', 'billing', 'field'];
/** Alt+1..7 switch views (keyboard-first). */
const KEYS: Record<string, Exclude<View, 'home' | 'ticket'>> = { '1': 'intake', '2': 'queue', '3': 'callbacks', '4': 'contracts', '5': 'reports', '6': 'billing', '7': 'field' };

function Home() {
  const { t } = useTranslation();
  const { info, error } = useApp();
  return (
    <section aria-labelledby="home-heading" className="panel">
      <h2 id="home-heading">{t('home.heading')}</h2>
      <p>{t('home.intro')}</p>
      <p role="status">{error ? t('status.failed', { message: error }) : info ? t('status.ready') : t('status.connecting')}</p>
      {info && (
        <dl className="facts">
          <dt>{t('home.version')}</dt>
          <dd>{info.version}</dd>
          <dt>{t('home.host')}</dt>
          <dd data-testid="host">{info.host}</dd>
          <dt>{t('home.timezone')}</dt>
          <dd>{info.timezone}</dd>
          <dt>{t('home.dataDir')}</dt>
          <dd>
            <code>{info.dataDir}</code>
          </dd>
        </dl>
      )}
    </section>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const { view, me, setMe, setView, load, openTicket } = useApp();

  useEffect(() => {
    void load();
  }, [load]);
  useAlertFeed();
  const [syncOpen, setSyncOpen] = useState(false);

  useEffect(
    () =>
      bridge.subscribe((e) => {
        if (e.name === 'alerts.open') openTicket((e.payload as { ticketId: string }).ticketId);
      }),
    [openTicket],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const v = e.altKey && !e.ctrlKey && !e.metaKey ? KEYS[e.key] : undefined;
      if (v) {
        e.preventDefault();
        setView(v);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">
          {t('app.title')} <span className="tagline">{t('app.tagline')}</span>
        </h1>
        <nav aria-label={t('nav.main')}>
          {NAV.map((v, i) => (
            <button key={v} type="button" aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)} aria-keyshortcuts={`Alt+${i + 1}`}>
              {t(`nav.${v}`)}
            </button>
          ))}
        </nav>
        <SyncStatus />
        <button type="button" aria-expanded={syncOpen} onClick={() => setSyncOpen(!syncOpen)}>
          {t('sync.open')}
        </button>
        <AlertBadge />
        <Shortcuts />
        <label className="lang">
          {t('me')}
          <input value={me} onChange={(e) => setMe(e.target.value)} size={10} />
        </label>
        <label className="lang">
          {t('language')}
          <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
            {Object.entries(languages).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main>
        {syncOpen && <SyncPanel onClose={() => setSyncOpen(false)} />}
        <AlertsPanel />
        {view === 'home' && <Home />}
        {view === 'intake' && <Intake />}
        {view === 'queue' && <Queue />}
        {view === 'ticket' && <Ticket />}
        {view === 'callbacks' && <Callbacks />}
        {view === 'contracts' && <Contracts />}
        {view === 'reports' && <Reports />}
        {view === 'billing' && <Billing />}
        {view === 'field' && <Field />}
      </main>
    </div>
  );
}
