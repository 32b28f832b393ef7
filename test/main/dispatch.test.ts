import { describe, expect, it } from 'vitest';
import { ApiFailure, createDispatcher } from '../../main/api/dispatch.js';
import type { Handlers } from '../../main/api/dispatch.js';
import { methods } from '../../core/api/contract.js';
import { testServices } from '../helpers/services.js';

const handlers = {
  'app.info': () => ({ name: 'Vakt', version: '1', host: 'browser', dataDir: '/x', now: 1, timezone: 'UTC' }),
  'app.echo': ({ text }) => {
    if (text === 'fail') throw new ApiFailure('conflict', 'echo refused', 'text');
    if (text === 'crash') throw new Error('boom');
    return { text };
  },
} as Partial<Handlers> as Handlers;

describe('dispatcher', () => {
  const dispatch = createDispatcher(handlers);
  it('runs a valid call', async () => {
    expect(await dispatch('app.echo', { text: 'hi' })).toEqual({ ok: true, result: { text: 'hi' } });
  });
  it('refuses unknown methods, including prototype names', async () => {
    for (const m of ['nope', 'toString', '__proto__', 'constructor']) {
      const r = await dispatch(m, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('unknown_method');
    }
  });
  it('refuses extra fields and wrong types, naming the field', async () => {
    const extra = await dispatch('app.info', { sneaky: 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const wrong = await dispatch('app.echo', { text: 1 });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_request', path: 'text' } });
  });
  it('passes a handler failure on with its code and path, and hides nothing of a crash but its message', async () => {
    expect(await dispatch('app.echo', { text: 'fail' })).toEqual({ ok: false, error: { code: 'conflict', message: 'echo refused', path: 'text' } });
    expect(await dispatch('app.echo', { text: 'crash' })).toMatchObject({ ok: false, error: { code: 'internal', message: 'app.echo failed: boom' } });
  });
  it('refuses a request nested 50,000 levels deep (as IPC delivers it, already cloned) with invalid_request, not a crash', async () => {
    const t = await testServices();
    try {
      let deep: unknown = {};
      for (let i = 0; i < 50_000; i++) deep = { a: deep };
      for (const [method, request] of [
        ['desk.checkContractEdit', { contractId: 'c', policySet: deep }],
        ['desk.calendarMonth', { contractId: 'c', month: '2026-12', calendar: deep }],
      ] as const) {
        const r = await t.services.dispatch(method, request);
        expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('nests deeper than 64 levels') } });
      }
    } finally {
      await t.cleanup();
    }
  });
  it('the app services have a handler for every method in the contract', async () => {
    const t = await testServices();
    try {
      for (const m of Object.keys(methods)) {
        const r = await t.services.dispatch(m, {});
        if (!r.ok) expect(r.error.code, m).not.toMatch(/unknown_method|internal/);
      }
    } finally {
      await t.cleanup();
    }
  });
});
