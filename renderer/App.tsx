import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage } from './i18n/index.js';
import type { Language } from './i18n/index.js';
import { useApp } from './store.js';
import type { View } from './store.js';
import { ThemeSelect } from './theme.js';
import { useRole, useRoleFeed } from './role.js';
import { bridge, call } from './transport.js';
import { FirstStart } from './views/FirstStart/index.js';
import { AlertBadge, AlertsPanel, useAlertFeed, useAlerts } from './views/Alerts/index.js';
import { Shortcuts } from './views/Shortcuts/index.js';
import { SyncStatus } from './views/SyncStatus/index.js';
import { Queue } from './views/Queue/index.js';
import { IntegrityBanner } from './views/IntegrityBanner/index.js';
import { Billing, Callbacks, Contracts, Field, Intake, Reports, Rota, SyncPanel, Ticket, prefetchViews } from './lazy-views.js';

const NAV: Array<Exclude<View, 'home' | 'ticket'>> = ['intake', 'queue', 'callbacks', 'contracts', 'reports', 'billing', 'field', 'oncall'];
/** Alt+1..8 switch views (keyboard-first). */
const KEYS: Record<string, Exclude<View, 'home' | 'ticket'>> = { '1': 'intake', '2': 'queue', '3': 'callbacks', '4': 'contracts', '5': 'reports', '6': 'billing', '7': 'field', '8': 'oncall' };

function Home({ onConnect }: { onConnect(): void }) {
  const { t } = useTranslation();
  const { info, error } = useApp();
  // An app with no customer yet leads to its first contract (issue 15 item 6).
  const [empty, setEmpty] = useState(false);
  useEffect(() => {
    if (info) void call('desk.customers', {}).then((r) => setEmpty(r.customers.length === 0));
  }, [info]);
  return (
    <>
      {empty && <FirstStart onConnect={onConnect} />}
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
    </>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const { view, me, setMe, setView, load, openTicket } = useApp();
  const ready = useApp((s) => s.info !== null);

  useEffect(() => {
    void load();
  }, [load]);
  // The other views' chunks, once the start's own calls are answered and the page is idle (renderer/lazy-views.tsx).
  useEffect(() => {
    if (!ready) return;
    const id = setTimeout(prefetchViews, 1_000);
    return () => clearTimeout(id);
  }, [ready]);
  useAlertFeed();
  useRoleFeed();
  const enrolledAs = useRole((s) => s.userName);
  // OS pop-ups are written in main, in the language stored with the alert settings: tell it at start and on each change.
  useEffect(() => {
    const language = i18n.language as Language;
    if (!(language in languages)) return;
    void call('alerts.getSettings', {})
      .then((s) => (s.language === language ? null : call('alerts.setSettings', { language })))
      .catch(() => undefined);
  }, [i18n.language]);
  const [syncOpen, setSyncOpen] = useState(false);

  useEffect(
    () =>
      bridge.subscribe((e) => {
        if (e.name !== 'alerts.open') return;
        // Open on a pop-up: its ticket, or the Alerts panel for a summary.
        const { ticketId } = e.payload as { ticketId?: string };
        window.focus();
        if (ticketId) openTicket(ticketId);
        else {
          useAlerts.getState().setOpen(true);
          document.getElementById('alerts-panel')?.scrollIntoView();
        }
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
          {/* Enrolled: the name the admin enrolled this user under (a technician's own tickets are assigned to it). */}
          <input value={me} onChange={(e) => setMe(e.target.value)} size={10} readOnly={!!enrolledAs} title={enrolledAs ? t('meEnrolled') : undefined} />
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
        <ThemeSelect />
      </header>
      <IntegrityBanner />
      <main className="with-side">
        <div className="work">
          <Suspense fallback={null}>{syncOpen && <SyncPanel onClose={() => setSyncOpen(false)} />}</Suspense>
          {/* A boundary per view: while a view's code loads nothing shows, not the last view hidden (a script could still fill its inputs). */}
          <Suspense key={view} fallback={null}>
            {view === 'home' && <Home onConnect={() => setSyncOpen(true)} />}
            {view === 'intake' && <Intake />}
            {view === 'queue' && <Queue />}
            {view === 'ticket' && <Ticket />}
            {view === 'callbacks' && <Callbacks />}
            {view === 'contracts' && <Contracts />}
            {view === 'reports' && <Reports />}
            {view === 'billing' && <Billing />}
            {view === 'field' && <Field />}
            {view === 'oncall' && <Rota />}
          </Suspense>
        </div>
        {/* Alerts sit beside the work area (the badge folds them away), never above it (issue 15 item 4). */}
        <aside className="side">
          <AlertsPanel />
        </aside>
      </main>
    </div>
  );
}
