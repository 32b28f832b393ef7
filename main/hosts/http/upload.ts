/**
 * Uploads on the browser shell: a contract call that takes bytes (a photo) is
 * sent as `POST /api/upload/<method>?field=<field>&request=<JSON>` with the
 * bytes as they are in the body, so that the JSON body limit of the other
 * calls (MAX_BODY_BYTES) does not apply to them. Each such method has its own
 * limit, the contract's (PHOTO_MAX_BYTES); a bigger body gets 413 naming it.
 * The shell puts the bytes in `field` as base64 and dispatches the call like
 * any other, so the contract's checks and the handler are the Electron host's.
 * The caller has passed the same secret, Origin and Host checks as for RPCs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PHOTO_MAX_BYTES } from '../../../core/api/field.js';
import type { Dispatch } from '../../api/dispatch.js';
import { BadJson, BodyTooLarge, drain, parseJsonBody, readBody, replyStatus, sendJson } from './body.js';

export interface UploadSpec {
  /** The request field that carries the bytes (as base64). */
  field: string;
  maxBytes: number;
  /** What the bytes are, for messages. */
  what: string;
}

/** The methods that take bytes, keyed by method (a Map: method names come from the URL). */
export const UPLOADS: ReadonlyMap<string, UploadSpec> = new Map([['field.photo', { field: 'dataBase64', maxBytes: PHOTO_MAX_BYTES, what: 'photo' }]]);

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function fail(res: ServerResponse, status: number, message: string, path?: string): void {
  sendJson(res, status, { ok: false, error: { code: 'invalid_request', message, ...(path ? { path } : {}) } });
}

export async function handleUpload(dispatch: Dispatch, method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const spec = UPLOADS.get(method);
  if (!spec) {
    sendJson(res, 404, { ok: false, error: { code: 'unknown_method', message: `${method} takes no upload (uploads: ${[...UPLOADS.keys()].join(', ')})` } });
    return;
  }
  const field = url.searchParams.get('field');
  if (field !== spec.field) return fail(res, 400, `${method}: the upload's field must be "${spec.field}", got "${field ?? ''}"`, 'field');
  let request: unknown;
  try {
    request = parseJsonBody(url.searchParams.get('request') ?? '');
  } catch (err) {
    if (err instanceof BadJson) return fail(res, 400, `${method}: the request parameter: ${err.message}`, 'request');
    throw err;
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return fail(res, 400, `${method}: the request parameter must be a JSON object`, 'request');
  if (Object.hasOwn(request, spec.field)) return fail(res, 400, `${method}: ${spec.field} travels in the body, not in the request parameter`, spec.field);
  let bytes: Buffer;
  try {
    bytes = await readBody(req, spec.maxBytes);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    fail(res, 413, `${method}: the ${spec.what} is over the limit of ${mb(spec.maxBytes)} (${spec.maxBytes} bytes)`, spec.field);
    drain(req);
    return;
  }
  const reply = await dispatch(method, { ...request, [spec.field]: bytes.toString('base64') });
  sendJson(res, replyStatus(reply), reply);
}
