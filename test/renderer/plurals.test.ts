/** Counts are pluralised through i18next (issue 15 item 4: "1 ticket", not "1 tickets" or "1 ticket(s)"). */
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { da } from '../../renderer/i18n/da.js';
import { en } from '../../renderer/i18n/en.js';
import { nb } from '../../renderer/i18n/nb.js';
import { nl } from '../../renderer/i18n/nl.js';

/** Every string, by dotted key. */
function flat(o: unknown, prefix = ''): Array<[string, string]> {
  if (typeof o === 'string') return [[prefix, o]];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k));
}
const LANGS = [
  ['en', en],
  ['da', da],
  ['nb', nb],
  ['nl', nl],
] as const;

describe.each(LANGS)('%s', (lang, m) => {
  it('says a count with i18next plural forms, never "(s)"-style', () => {
    const counted = flat(m).filter(([, v]) => v.includes('{{count}}'));
    const bad = counted.filter(([, v]) => /\w\((s|e|er|en|r|'s)\)/.test(v) || /probleem\/problemen|afspraak\/afspraken/.test(v)).map(([k]) => k);
    expect(bad).toEqual([]);
    for (const [k] of counted.filter(([k]) => k.endsWith('_one'))) expect(counted.map(([x]) => x)).toContain(k.replace(/_one$/, '_other'));
  });

  it('reads "1 ticket" and "2 tickets" in the queue', async () => {
    const i18n = createInstance();
    await i18n.init({ resources: { [lang]: { translation: m } }, lng: lang, interpolation: { escapeValue: false } });
    const one = i18n.t('queue.count', { count: 1, more: '' });
    const two = i18n.t('queue.count', { count: 2, more: '' });
    expect(one).toMatch(/^1 \S+$/);
    expect(two).toMatch(/^2 \S+$/);
    expect(one.split(' ')[1]).not.toBe(two.split(' ')[1]);
  });
});
