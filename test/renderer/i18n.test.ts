/** Every refusal code the server can send is said in every language (the sync panel shows it by code). */
import { describe, expect, it } from 'vitest';
import { REJECT_REASONS } from '../../core/sync/protocol.js';
import { RECORD_KINDS } from '../../core/sync/mutations.js';
import { da } from '../../renderer/i18n/da.js';
import { en } from '../../renderer/i18n/en.js';
import { nb } from '../../renderer/i18n/nb.js';
import { nl } from '../../renderer/i18n/nl.js';

describe.each([
  ['en', en],
  ['da', da],
  ['nb', nb],
  ['nl', nl],
] as const)('%s', (_lang, m) => {
  it('names every sync refusal reason and record kind', () => {
    expect(Object.keys(m.sync.reasons).sort()).toEqual([...REJECT_REASONS].sort());
    expect(Object.keys(m.sync.kinds).sort()).toEqual([...RECORD_KINDS].sort());
    for (const text of Object.values(m.sync.reasons)) expect(text.length).toBeGreaterThan(10);
  });
});
