/**
 * Escalation (issue 18 item 4): a critical alert nobody acknowledged within N
 * minutes goes to the next level (on duty, backup, team lead), and the chain
 * repeats up to K times. Pure: every device computes the same steps from the
 * synced rota, the alert's instant and the acks the server has, so the
 * backup's device escalates even when the primary's device is offline.
 */
import { MINUTE } from '../sla/time.js';
import type { EscalationPolicy, Rota } from './rota.js';
import { onCallAt } from './rota.js';

export interface EscalationStep {
  /** When this level is alerted. */
  at: number;
  /** 0 = on duty, 1 = backup, 2 = lead (the index in the chain). */
  level: number;
  /** 0-based run of the chain. */
  round: number;
  person: string;
}

/** The chain for an alert raised at `at`: who was on duty then, their backup, the lead (no one twice in a row). */
export function escalationChain(r: Rota, at: number): string[] {
  const d = onCallAt(r, at);
  const chain: string[] = [];
  for (const p of [d?.person, d?.backup, r.lead]) if (p && !chain.includes(p)) chain.push(p);
  return chain;
}

/** Every step of the chain run `policy.repeat` times, `ackMinutes` apart, from `raisedAt`. */
export function escalationSteps(chain: readonly string[], raisedAt: number, policy: EscalationPolicy): EscalationStep[] {
  const out: EscalationStep[] = [];
  const n = chain.length;
  for (let i = 0; i < n * policy.repeat; i++) {
    out.push({ at: raisedAt + i * policy.ackMinutes * MINUTE, level: i % n, round: Math.floor(i / n), person: chain[i % n] as string });
  }
  return out;
}

export interface EscalationState {
  /** The steps taken by `now` (before any ack). */
  taken: EscalationStep[];
  /** The next step, or null (acknowledged, or the chain ran out). */
  next: EscalationStep | null;
}

/**
 * Where an alert's escalation stands at `now`, given the instant the first
 * ack reached the server (null: none yet). Steps due at or after the ack are
 * never taken.
 */
export function escalationAt(chain: readonly string[], raisedAt: number, policy: EscalationPolicy, ackedAt: number | null, now: number): EscalationState {
  const stop = ackedAt === null ? Infinity : ackedAt;
  const steps = escalationSteps(chain, raisedAt, policy).filter((s) => s.at < stop);
  return { taken: steps.filter((s) => s.at <= now), next: steps.find((s) => s.at > now) ?? null };
}
