/**
 * Forms on the API contract (issue 16 item 5): a form's values are (part of)
 * a method's request, held by react-hook-form and checked, before anything is
 * sent, with that method's own zod request schema from core/api. Its problems
 * go through `apiIssue` (core/api/contract.ts), the mapping the dispatcher
 * uses, so they have the same keys and read as the services' errors do
 * (`@hookform/resolvers/zod` would keep zod's English text and drop the
 * issue's key). So the form refuses what the services would, every problem
 * at once at its field, and sends what it checked.
 * What only the services can check (the contract's country for a phone, a
 * duplicate) comes back as their error (`useSave`), shown at the same fields.
 */
import { useForm } from 'react-hook-form';
import type { DefaultValues, FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';
import { apiIssue, methods } from '../core/api/contract.js';
import type { ApiIssue, Method, Methods } from '../core/api/contract.js';
import { errorText, issueText } from './errors.js';
import { errorFor } from './fields.js';
import type { FieldError } from './fields.js';

type RequestObject<M extends Method> = Extract<Methods[M]['request'], z.ZodObject>;
type Shape<M extends Method> = RequestObject<M>['shape'];

/** The part of `method`'s request schema a form edits (`fields`; the rest, ids and author, the view adds when it sends). */
/** A form's part of a request: its schema checks the fields a person types and makes what is sent of them. */
export type RequestPart<M extends Method, K extends PropertyKey> = z.ZodType<
  Pick<z.output<RequestObject<M>>, K & keyof z.output<RequestObject<M>>>,
  Pick<z.input<RequestObject<M>>, K & keyof z.input<RequestObject<M>>>
>;

export function requestPart<M extends Method, K extends keyof Shape<M> & string>(method: M, fields: readonly K[]): RequestPart<M, K> {
  const schema = methods[method].request as unknown as z.ZodObject;
  const mask: Record<string, true> = Object.fromEntries(fields.map((f) => [f, true]));
  return schema.pick(mask as never) as unknown as RequestPart<M, K>;
}

/** The names of a form's fields. */
export type FormField<S extends z.ZodType> = keyof z.input<S> & string;

/**
 * A react-hook-form form checked with `schema` (from `requestPart`): its
 * values are what a person types (the schema's input), its submit gets what
 * the schema makes of them (trimmed, empty as null).
 */
export function useContractForm<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, defaultValues: z.input<S>) {
  return useForm<z.input<S>, unknown, z.output<S>>({
    resolver: contractResolver(schema),
    defaultValues: defaultValues as DefaultValues<z.input<S>>,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
}

/** A problem of a request in the user's language, at its field (no field name in front): by its key, else its known message. */
const problemText = (i: ApiIssue) => (i.key ? issueText(i) : errorText({ code: 'invalid_request', message: i.message }));

/** Checks a form's values with `schema`: what it makes of them, or each field's first problem in the user's language. */
function contractResolver<S extends z.ZodType<FieldValues, FieldValues>>(schema: S): Resolver<z.input<S>, unknown, z.output<S>> {
  return async (values) => {
    const r = await schema.safeParseAsync(values);
    if (r.success) return { values: r.data, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const i of r.error.issues) {
      const a = apiIssue(i);
      errors[a.path] ??= { type: i.code, message: problemText(a) };
    }
    return { values: {}, errors: errors as FieldErrors<z.input<S>> };
  };
}

/**
 * The error at a form field, in the user's language: the form's own check
 * first (its errors are keyed by the request path, "intake.site_address"),
 * else what the services answered for the request at `paths` (default: `name`).
 */
export function formError(errors: FieldErrors, name: string, server: FieldError | null, ...paths: string[]): string | null {
  const own = (errors as Record<string, { message?: unknown } | undefined>)[name]?.message;
  return typeof own === 'string' && own ? own : errorFor(server, ...(paths.length ? paths : [name]));
}
