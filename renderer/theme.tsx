/**
 * The theme switch (issue 15 item 10): system (follows the OS), light or dark,
 * for night shifts. Kept per user: the top bar's "Your name" picks whose
 * choice applies (localStorage `vakt.theme.<name>`; `vakt.theme` without a
 * name). app.css draws each colour with `light-dark()`, so the theme only sets
 * `color-scheme` through `<html data-theme>`.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from './store.js';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const keyOf = (me: string) => (me.trim() ? `vakt.theme.${me.trim()}` : 'vakt.theme');

export function storedTheme(me: string): Theme {
  const v = localStorage.getItem(keyOf(me));
  return (THEMES as readonly string[]).includes(v ?? '') ? (v as Theme) : 'system';
}

export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** The top bar's theme select; applies the current user's theme. */
export function ThemeSelect() {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const [theme, setTheme] = useState<Theme>(() => storedTheme(me));
  useEffect(() => setTheme(storedTheme(me)), [me]);
  useEffect(() => applyTheme(theme), [theme]);
  const choose = (v: Theme) => {
    localStorage.setItem(keyOf(me), v);
    setTheme(v);
  };
  return (
    <label className="lang">
      {t('theme.label')}
      <select value={theme} onChange={(e) => choose(e.target.value as Theme)}>
        {THEMES.map((v) => (
          <option key={v} value={v}>
            {t(`theme.${v}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
