/**
 * Errors of the services in the user's language (issue 15 item 7). The
 * dispatcher answers `{code, message, path}`, its message in English, e.g.
 * "desk.createCustomer: name: must not be empty". Here the method prefix goes,
 * the path becomes the field's name (`errors.fields.<last segment>`; else the
 * path, where the message named it) and the message is translated where it is one of the
 * contract's known messages (`errors.*`); any other message is kept as sent.
 * Every `call()` error passes through here (renderer/transport.ts), so views
 * show `error.message` as they did; `ApiCallError.raw` keeps the original.
 */
import i18next from 'i18next';
import type { TFunction } from 'i18next';
import type { ApiIssue } from '../core/api/contract.js';

export interface ApiErrorLike {
  code: string;
  message: string;
  path?: string;
  issues?: ApiIssue[];
}

/**
 * An issue in the user's language (`fieldIssue.<key>` with its values; the
 * keys are core/domain/issue-keys.ts), else its English message. Its `cause`
 * (why an SLA cannot be computed) is said the same way, as its `why`.
 */
export function issueText(i: Pick<ApiIssue, 'message' | 'key' | 'values' | 'cause'>): string {
  if (!i.key) return i.message;
  const why = i.cause?.length ? { why: issuesText(i.cause) } : {};
  return i18next.t(`fieldIssue.${i.key}`, { ...i.values, ...why, defaultValue: i.message });
}

/** Issues as one line, each with its path in front where it has one ("policies.p.calendar: …"). */
export function issuesText(issues: readonly ApiIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${issueText(i)}` : issueText(i))).join(' ');
}

/** Known messages of the contracts (core/api) and zod: pattern -> key, with the captured values. */
const KNOWN: ReadonlyArray<[RegExp, string, (m: RegExpExecArray) => Record<string, string>]> = [
  [/^must not be empty$/, 'errors.empty', () => ({})],
  [/^(?:is required|Invalid input: expected \w+, received undefined)$/, 'errors.required', () => ({})],
  [/^at most (\d+) characters$/, 'errors.maxChars', (m) => ({ max: m[1] ?? '' })],
  [/^must not be negative$/, 'errors.negative', () => ({})],
  [/^Invalid input: expected number, received \w+$/, 'errors.notNumber', () => ({})],
  [/^Invalid input: expected int, received \w+$/, 'errors.notWhole', () => ({})],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, 'errors.tooBig', (m) => ({ max: m[1] ?? '' })],
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, 'errors.tooSmall', (m) => ({ min: m[1] ?? '' })],
  [/^at least 1 minute$/, 'errors.atLeastMinute', () => ({})],
  [/^at most 24 hours$/, 'errors.atMostDay', () => ({})],
  [/^Unrecognized keys?: (.+)$/, 'errors.unknownKey', (m) => ({ keys: m[1] ?? '' })],
];

/** The message without the method and path prefixes the dispatcher puts in front, and whether it named the path. */
function bare(e: ApiErrorLike): { msg: string; named: boolean } {
  const msg = e.message.replace(/^[a-z]+\.[A-Za-z]+: /, '');
  if (e.path && msg.startsWith(`${e.path}: `)) return { msg: msg.slice(e.path.length + 2), named: true };
  return { msg, named: false };
}

/** The field a path names, in the user's language ("reporterPhone" -> "Reporter phone"; "contacts[1].phone" -> "Phone"), or null. */
export function fieldName(path: string, t: TFunction = i18next.t): string | null {
  const last =
    path
      .split('.')
      .pop()
      ?.replace(/\[\d+\]$/, '') ?? path;
  const key = `errors.fields.${last}`;
  return /^\w+$/.test(last) && i18next.exists(key) ? t(key) : null;
}

/** A services' error as a person reads it, in the user's language. */
export function errorText(e: ApiErrorLike, t: TFunction = i18next.t): string {
  // an issue with a key (core/domain/issue-keys.ts) is said from its key and values, not from its English text
  const keyed = e.issues?.[0]?.key ? e.issues[0] : null;
  if (keyed) {
    const field = keyed.path ? fieldName(keyed.path, t) : null;
    return field ? `${field}: ${issueText(keyed)}` : issueText(keyed);
  }
  if (e.code === 'internal') return t('errors.internal', { message: e.message });
  if (e.code === 'unknown_method') return t('errors.unknownMethod', { message: e.message });
  const { msg, named } = bare(e);
  let text = msg;
  for (const [re, key, vars] of KNOWN) {
    const m = re.exec(msg);
    if (m) {
      text = t(key, vars(m));
      break;
    }
  }
  // the field's name where known; else the path, if the services' message named it
  const field = e.path ? (fieldName(e.path, t) ?? (named ? e.path : null)) : null;
  return field ? `${field}: ${text}` : text;
}
