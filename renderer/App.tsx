import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage } from './i18n/index.js';
import type { Language } from './i18n/index.js';
import { useApp } from './store.js';
import type { View } from './store.js';

const NAV: Array<Exclude<View, 'home'>> = ['intake', 'queue', 'callbacks', 'contracts'];

export function App() {
  const { t, i18n } = useTranslation();
  const { view, info, error, setView, load } = useApp();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">
          {t('app.title')} <span className="tagline">{t('app.tagline')}</span>
        </h1>
        <nav aria-label={t('nav.main')}>
          {NAV.map((v) => (
            <button key={v} type="button" aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)}>
              {t(`nav.${v}`)}
            </button>
          ))}
        </nav>
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
      </main>
    </div>
  );
}
