/**
 * The enrolment, this user and the rotas are held in the main thread (main/alerts/people.ts): read once,
 * read again after an event that may change them (enrolling: `sync.status`; a rota saved or pulled:
 * `records.changed`), and a read overtaken by such an event is not kept.
 */
import { expect, it } from 'vitest';
import { Emitter } from '../../core/lifecycle.js';
import { PeopleCache } from '../../main/alerts/people.js';

it('reads each once, again after sync.status or records.changed, and never keeps a read an event overtook', async () => {
  const reads: string[] = [];
  let me: string | null = null;
  let answer: (() => void) | null = null;
  const source = {
    enrolment: async () => (reads.push('enrolment'), null),
    me: () => {
      reads.push('me');
      const now = me;
      return new Promise<string | null>((r) => (answer = () => r(now)));
    },
    rotas: async () => (reads.push('rotas'), []),
  };
  const events = new Emitter<{ name: string; payload?: unknown }>();
  const people = new PeopleCache(source, events);
  await people.enrolment();
  await people.enrolment();
  await people.rotas();
  expect(reads).toEqual(['enrolment', 'rotas']);
  events.fire({ name: 'records.changed', payload: { kinds: ['rota'] } });
  await people.rotas();
  events.fire({ name: 'sync.status', payload: {} });
  await people.enrolment();
  expect(reads).toEqual(['enrolment', 'rotas', 'rotas', 'enrolment']);
  // Enrolled while the read of "me" was on its way: that answer is not kept.
  const before = people.me();
  me = 'u-ola';
  events.fire({ name: 'sync.status', payload: { enrolled: true } });
  answer!();
  expect(await before).toBe(null);
  const after = people.me();
  answer!();
  expect(await after).toBe('u-ola');
  expect(await people.me()).toBe('u-ola');
  expect(reads.filter((r) => r === 'me')).toHaveLength(2);
});
