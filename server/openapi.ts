/** OpenAPI 3.1 description, generated from the zod schemas in core/sync (z.toJSONSchema). */
import { z } from 'zod';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../core/sync/protocol.js';
import { MUTATIONS, enrolRequest, enrolResponse, enrolmentCodeRequest, errorBody, pullRequest, pullResponse, pushRequest, pushResponse } from '../core/sync/mutations.js';

let cached: object | null = null;

const js = (s: z.ZodType, io: 'input' | 'output' = 'output'): object => {
  const o = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete o.$schema;
  return o;
};

export function openApiDocument(): object {
  if (cached) return cached;
  const err = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const versionHeaders = [
    { name: HEADER_PROTOCOL, in: 'header', required: true, schema: { type: 'integer', example: PROTOCOL_VERSION } },
    { name: HEADER_SCHEMA, in: 'header', required: true, schema: { type: 'integer', example: SCHEMA_VERSION } },
  ];
  const common = {
    400: { description: 'Invalid request', ...err },
    401: { description: 'Missing, unknown or revoked token', ...err },
    403: { description: 'Role may not do this', ...err },
    413: { description: 'Body too large', ...err },
    426: { description: 'Update required: client protocol/schema too old', ...err },
    429: { description: 'Rate limited', ...err },
  };
  const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
  const op = (summary: string, req: string | null, res: string, extra: object = {}) => ({
    summary,
    parameters: versionHeaders,
    security: [{ device: [] }],
    ...(req ? { requestBody: { required: true, ...json(req) } } : {}),
    responses: { 200: { description: 'OK', ...json(res) }, ...common },
    ...extra,
  });
  const mutationPayloads = Object.fromEntries(Object.entries(MUTATIONS).map(([k, s]) => [`Mutation_${k.replace(/[.@]/g, '_')}`, js(s, 'input')]));
  cached = {
    openapi: '3.1.0',
    info: { title: 'Vakt sync server', version: `protocol ${PROTOCOL_VERSION}, schema ${SCHEMA_VERSION}`, description: 'See docs/sync.md. Mutation payloads are listed as Mutation_* schemas.' },
    components: {
      securitySchemes: { device: { type: 'http', scheme: 'bearer', description: 'Device token from /v1/enrol (or the bootstrap admin token)' } },
      schemas: {
        Error: js(errorBody),
        PushRequest: js(pushRequest, 'input'),
        PushResponse: js(pushResponse),
        PullRequest: js(pullRequest, 'input'),
        PullResponse: js(pullResponse),
        EnrolRequest: js(enrolRequest, 'input'),
        EnrolResponse: js(enrolResponse),
        EnrolmentCodeRequest: js(enrolmentCodeRequest, 'input'),
        ...mutationPayloads,
      },
    },
    paths: {
      '/health': { get: { summary: 'Liveness and database check', security: [], responses: { 200: { description: 'ok' }, 503: { description: 'database unavailable' } } } },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics of the server process (admin token)',
          responses: { 200: { description: 'text/plain exposition format' }, 401: { description: 'no or unknown token' }, 403: { description: 'not an admin token' } },
        },
      },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
      '/v1/enrol': { post: { ...op('Enrol a device with a one-time code', 'EnrolRequest', 'EnrolResponse'), security: [] } },
      '/v1/me': { get: op('Who this token is', null, 'Error') },
      '/v1/sync/push': { post: op('Push mutations (idempotent)', 'PushRequest', 'PushResponse') },
      '/v1/sync/pull': { post: op('Pull changes after a cursor', 'PullRequest', 'PullResponse') },
      '/v1/admin/enrolment-codes': { post: op('Create a one-time enrolment code (admin)', 'EnrolmentCodeRequest', 'Error') },
      '/v1/admin/devices': { get: op('List devices (admin)', null, 'Error') },
      '/v1/admin/devices/{id}/revoke': {
        post: { ...op('Revoke a device token (admin)', null, 'Error'), parameters: [...versionHeaders, { name: 'id', in: 'path', required: true, schema: { type: 'string' } }] },
      },
      '/v1/events': { get: op('Server-sent events: `event: poke` when the tenant has something new (pull then)', null, 'Error') },
      '/v1/admin/users': { get: op("List the tenant's users (admin)", null, 'Error'), post: op('Create a user {name, role} (admin)', null, 'Error') },
      '/v1/admin/users/{id}/enrolment-codes': {
        post: {
          ...op('A one-time enrolment code for an existing user {ttlMinutes?} (admin)', null, 'Error'),
          parameters: [...versionHeaders, { name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        },
      },
      '/v1/local/tenants': {
        get: { ...op("List tenants (bearer: the data dir's admin-proof)", null, 'Error'), security: [] },
        post: { ...op("Create a tenant {name} and its admin token; 409 for a taken name (bearer: the data dir's admin-proof)", null, 'Error'), security: [] },
      },
      '/v1/local/admin-tokens': { post: { ...op("A new admin token {tenant: id or name} (bearer: the data dir's admin-proof)", null, 'Error'), security: [] } },
      '/v1/admin/sla-contract': { put: op("Set the tenant's SLA contract (calendars + policies, specs/sla-clock.md) (admin)", null, 'Error') },
      '/v1/attachments/{sha256}': {
        head: {
          summary: 'Upload offset (`upload-offset`, `upload-complete` headers)',
          parameters: versionHeaders,
          responses: { 200: { description: 'known' }, 404: { description: 'nothing received' } },
        },
        put: {
          summary: 'Upload a chunk (`Content-Range: bytes S-E/T`, application/octet-stream)',
          parameters: versionHeaders,
          responses: {
            200: { description: '{received, complete}' },
            409: { description: 'offset mismatch; `upload-offset` says where to resume' },
            413: { description: 'attachment or chunk too large' },
            422: { description: 'hash mismatch' },
          },
        },
        get: { summary: 'Download a complete attachment', parameters: versionHeaders, responses: { 200: { description: 'bytes' }, 404: { description: 'unknown' } } },
      },
    },
  };
  return cached;
}
