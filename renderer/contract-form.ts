/**
 * Forms on the API contract (issue 16 item 5): a form's values are (part of)
 * a method's request, held by react-hook-form and checked, before anything is
 * sent, with that method's own zod request schema from core/api (the
 * `@hookform/resolvers/zod` resolver). So the form refuses what the services
 * would, every problem at once at its field, and sends what it checked.
 * What only the services can check (the contract's country for a phone, a
 * duplicate) comes back as their error (`useSave`), shown at the same fields.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { DefaultValues, FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';
import { methods } from '../core/api/contract.js';
import type { Method, Methods } from '../core/api/contract.js';
import { errorText } from './errors.js';
import { errorFor } from './fields.js';
import type { FieldError } from './fields.js';

type RequestObject<M extends Method> = Extract<Methods[M]['request'], z.ZodObject>;
type Shape<M extends Method> = RequestObject<M>['shape'];

/** The part of `method`'s request schema a form edits (`fields`; the rest, ids and author, the view adds when it sends). */
export function requestPart<M extends Method, K extends keyof Shape<M> & string>(method: M, fields: readonly K[]): z.ZodObject<Pick<Shape<M>, K> & z.ZodRawShape> {
  const schema = methods[method].request as unknown as z.ZodObject;
  const mask: Record<string, true> = Object.fromEntries(fields.map((f) => [f, true]));
  return schema.pick(mask as never) as unknown as z.ZodObject<Pick<Shape<M>, K> & z.ZodRawShape>;
}

/**
 * A react-hook-form form checked with `schema` (from `requestPart`): its
 * values are what a person types (the schema's input), its submit gets what
 * the schema makes of them (trimmed, empty as null).
 */
export function useContractForm<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, defaultValues: z.input<S>) {
  return useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never) as unknown as Resolver<z.input<S>, unknown, z.output<S>>,
    defaultValues: defaultValues as DefaultValues<z.input<S>>,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
}

/**
 * The error at a form field, in the user's language: the form's own check
 * first (zod's message, said as the services' errors are: renderer/errors.ts),
 * else what the services answered for the request at `path`.
 */
export function formError(errors: FieldErrors, name: string, server: FieldError | null, path: string = name): string | null {
  const own = errors[name]?.message;
  if (typeof own === 'string' && own) return errorText({ code: 'invalid_request', message: own });
  return errorFor(server, path);
}
