/** Handlers for the duty officer desk (core/api/desk.ts). */
import type { deskMethods } from '../../core/api/desk.js';
import type { HandlersFor } from '../api/dispatch.js';
import type { AppContext } from '../context.js';

export function deskHandlers(_ctx: AppContext): HandlersFor<typeof deskMethods> {
  return {};
}
