/**
 * The on-call rota in the app (issue 18 item 3; docs/alerts.md "On-call
 * rota"): list the teams' rotas with who is on call now and next, and save
 * one (checked where the request enters, with `rotaIssues` as the sync server checks it).
 */
import { id } from './fields.js';
import { z } from 'zod';
import { rotaInput } from '../oncall/schema.js';
import type { Rota } from '../oncall/rota.js';

/** A stretch of duty as the app shows it. */
export interface DutyView {
  person: string;
  /** The member's name (the user id when the rota does not name them). */
  name: string;
  backupName: string | null;
  from: number;
  to: number;
  override: boolean;
}

export interface RotaView {
  id: string;
  rota: Rota;
  now: DutyView | null;
  next: DutyView | null;
}

export const oncallMethods = {
  /** Every team's rota, with who is on call now and next; `me` is this device's user (null: not enrolled). */
  'oncall.list': {
    request: z.object({}).strict(),
    result: z.custom<{ rotas: RotaView[]; me: string | null; now: number }>(),
  },
  /** Creates (no id) or replaces a rota; refused with the field named when it is not valid. */
  'oncall.put': {
    request: z.object({ id: id.optional(), rota: rotaInput }).strict(),
    result: z.custom<RotaView>(),
  },
} as const;
