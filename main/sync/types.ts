/**
 * The client side of sync: what the worker needs from the device's store and
 * from the network. The desktop app implements `LocalSyncStore` over db/ (the
 * outbox and sync_state tables); `MemorySyncStore` implements it in memory.
 */
import type { Change, MutationResult, PullResponse, PushResponse } from '../../core/sync/mutations.js';
import type { WireMutation } from '../../db/sync-store.js';

/** A mutation waiting in the outbox, as it goes on the wire (db/sync-store.ts). */
export type PendingMutation = WireMutation;

export interface PulledPage {
  changes: Change[];
  cursor: string;
  /** The server's latest HLC: the device's HLC absorbs it so its next edits sort after what it has seen. */
  hlc: string | null;
  /** More pages of this pull follow (the worker says so; absent: the last). The first sync of an empty store loads in bulk on it (db/sync/bulk.ts). */
  more?: boolean;
}

/**
 * A pull page as the server's JSON text, with the envelope the main thread read of it (to ask for the
 * next page): the store parses and checks the text where it applies it (db/sync/pull-text.ts), so the
 * main thread neither parses the changes nor copies them object by object into the store's worker.
 */
export interface PulledText {
  text: string;
  cursor: string;
  more: boolean;
  hlc: string | null;
}

export interface LocalSyncStore {
  /** Up to `limit` pending mutations, in seq order (oldest first). */
  pendingMutations(limit: number): Promise<PendingMutation[]>;
  /**
   * Records the server's answers: `applied` and `duplicate`+outcome `applied` -> applied;
   * `rejected` and `duplicate`+outcome `rejected` -> rejected with the reason (kept, shown to the user, never dropped).
   */
  markResults(results: MutationResult[]): Promise<void>;
  /** Applies a page of server rows (they replace local copies) and stores the cursor, in one local transaction. */
  applyPulled(page: PulledPage): Promise<void>;
  /** The same for a page as text (optional: the worker uses it when the transport has `pullText`). */
  applyPulledText?(page: PulledText): Promise<void>;
  /** The stored pull cursor ("0" before the first pull). */
  cursor(): Promise<string>;
  /** Counts for the status line. */
  counts(): Promise<{ pending: number; rejected: number; conflicts: number }>;
}

export interface SyncTransport {
  push(mutations: PendingMutation[]): Promise<PushResponse>;
  pull(cursor: string, limit: number): Promise<PullResponse>;
  /** The same page as its JSON text, the changes unparsed (optional; see PulledText). */
  pullText?(cursor: string, limit: number): Promise<PulledText>;
  /**
   * Listens to the server's pokes (`GET /v1/events`): calls `onPoke` when the stream opens and on
   * every poke; settles when the stream ends (rejects with SyncNetworkError / SyncHttpError when it
   * could not open or broke), or when `signal` aborts. Optional: without it the worker only polls.
   */
  events?(onPoke: () => void, signal: AbortSignal): Promise<void>;
}

/** The network is down or the server did not answer: retry with backoff. */
export class SyncNetworkError extends Error {
  override name = 'SyncNetworkError';
}

/** The server answered with an error status. */
export class SyncHttpError extends Error {
  override name = 'SyncHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type SyncState = 'offline' | 'syncing' | 'up_to_date' | 'error';

export interface SyncStatus {
  state: SyncState;
  pending: number;
  rejected: number;
  conflicts: number;
  lastSyncAt: number | null;
  /** Why the last attempt failed (offline / error). */
  message: string | null;
  /** The server said 426: this client must be updated before it can sync. */
  updateRequired: boolean;
  /** When the next attempt is scheduled (epoch ms), if any. */
  nextAttemptAt: number | null;
}
