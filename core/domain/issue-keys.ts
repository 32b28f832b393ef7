/**
 * The problems the services report, by key (issue 15 item 7): each key's
 * English text, made from its values, for the CLI, logs and `message`. An
 * issue carries its key and values next to that text (`issue()` in
 * core/sla/errors.ts), so the renderer says it in the user's language
 * (`fieldIssue.<key>`, with the same values). No zod here.
 *
 * `got` is a value as JSON (`describe()`), shown as it was.
 */
export type IssueValues = Record<string, string | number>;

const text = <V extends IssueValues>(f: (v: V) => string) => f as (v: IssueValues) => string;

export const ISSUE_TEXT = {
  // ids and names (calendars, policies)
  idEmpty: text(() => 'an id must not be empty'),
  idReserved: text<{ id: string; names: string }>((v) => `"${v.id}" cannot be an id: it is a name every JavaScript object has (${v.names}, ...); choose another`),
  calendarIdRequired: text(() => 'required when the calendar is not filed under its id'),
  policyIdRequired: text(() => 'required when the policy is not filed under its id'),
  idMismatch: text<{ id: string; key: string }>((v) => `"${v.id}" does not match its key "${v.key}"`),
  mustBeString: text(() => 'must be a string'),
  nonEmptyString: text(() => 'must be a non-empty string'),
  unknownField: text<{ allowed: string }>((v) => `unknown field (allowed: ${v.allowed})`),
  mustBeObject: text<{ got: string }>((v) => `must be an object, got ${v.got}`),
  // a contract's calendars, policies, critical policy and wording
  contractNotObject: text<{ got: string }>((v) => `a contract must be a JSON object, got ${v.got}`),
  calendarsNotMap: text<{ got: string }>((v) => `must be an object mapping calendar ids to calendars, got ${v.got}`),
  policiesNotMap: text<{ got: string }>((v) => `must be an object mapping policy ids to policies, got ${v.got}`),
  mustNamePolicy: text<{ got: string }>((v) => `must name a policy, got ${v.got}`),
  namesNoPolicy: text<{ id: string }>((v) => `names no policy ("${v.id}" is not in policies)`),
  wordingNotMap: text<{ got: string }>((v) => `must map "policy" or "policy.target" to the agreement's own wording, got ${v.got}`),
  policyHasNoTarget: text<{ policy: string; metric: string }>((v) => `policy "${v.policy}" has no ${v.metric} target`),
  // a contract's file and an edit of it
  defaultNotInPolicies: text<{ id: string }>((v) => `policy "${v.id}" is not in policies`),
  agreementExists: text<{ agreement: string }>((v) => `agreement ${v.agreement} already exists`),
  defaultMustStay: text<{ id: string }>((v) => `the contract's default policy "${v.id}" must stay`),
  criticalMustStay: text<{ id: string }>((v) => `the contract's critical policy "${v.id}" must stay`),
  /** i18next plural forms `policyInUse_one` / `_other` (by `count`). */
  policyInUse: text<{ id: string; count: number; cases: string }>(
    (v) => `policy "${v.id}" is used by ${v.count} open ticket${v.count === 1 ? '' : 's'} (${v.cases}): keep it, or change their priority or resolve them first`,
  ),
  // a policy
  policyNotObject: text<{ got: string }>((v) => `a policy must be an object, got ${v.got}`),
  mustNameCalendar: text<{ got: string }>((v) => `must name a calendar, got ${v.got}`),
  unknownCalendar: text<{ id: string; known: string }>((v) => `unknown calendar "${v.id}" (known: ${v.known})`),
  unknownCalendarNone: text<{ id: string }>((v) => `unknown calendar "${v.id}" (no calendars are defined)`),
  statusList: text<{ got: string }>((v) => `must be a list of statuses, got ${v.got}`),
  unknownStatus: text<{ got: string; allowed: string }>((v) => `unknown status ${v.got} (use ${v.allowed})`),
  stopsNotPauses: text<{ status: string }>((v) => `"${v.status}" stops the clock, it cannot pause it`),
  targetsNotObject: text<{ got: string }>((v) => `must be an object with response, resolution and/or update, got ${v.got}`),
  unknownTarget: text(() => 'unknown target (use response, resolution, update)'),
  mustBeBoolean: text<{ got: string }>((v) => `must be true or false, got ${v.got}`),
  startsAt: text<{ got: string }>((v) => `must be "created" or "response", got ${v.got}`),
  moreThanZero: text(() => 'must be more than 0'),
  notPausable: text<{ kind: string }>((v) => `${v.kind} targets are not pausable`),
  notPausableByDefault: text<{ kind: string; metric: string }>((v) => `${v.kind} targets are not pausable (a ${v.metric} target is pausable by default): add "pausable": false`),
  // a duration
  durationNotObject: text<{ kinds: string; got: string }>((v) => `must be a duration object with one of ${v.kinds}, got ${v.got}`),
  durationOneOf: text<{ kinds: string; got: string }>((v) => `must have exactly one of ${v.kinds}, got ${v.got}`),
  notNumber: text<{ got: string }>((v) => `must be a number, got ${v.got}`),
  negative: text<{ got: string }>((v) => `must not be negative, got ${v.got}`),
  updateOpenTime: text<{ kind: string }>((v) => `update intervals must be minutes or hours of open time, not ${v.kind}`),
  wholeBusinessDays: text<{ got: string }>((v) => `must be a whole number of business days, got ${v.got}`),
  cutoffNotObject: text<{ got: string }>((v) => `must be { "cutoff": "HH:MM" }, got ${v.got}`),
  cutoffTime: text<{ got: string }>((v) => `must be a wall time "HH:MM" (00:00..24:00), got ${v.got}`),
  durationKind: text<{ kinds: string }>((v) => `unknown duration kind (use ${v.kinds})`),
  // a calendar
  calendarNotObject: text<{ got: string }>((v) => `a calendar must be an object, got ${v.got}`),
  timezone: text<{ got: string }>((v) => `must be an IANA time zone such as "Europe/Copenhagen", got ${v.got}`),
  unknownDay: text<{ days: string }>((v) => `unknown day (use ${v.days})`),
  dayMissing: text(() => 'missing: list every day from mon to sun ([] for a closed day)'),
  week: text<{ got: string }>((v) => `must be "24x7" or an object with mon..sun lists of pairs, got ${v.got}`),
  holidaysNotObject: text<{ got: string }>((v) => `must be { "country": "DK", "region"?: "..." }, got ${v.got}`),
  country: text<{ got: string }>((v) => `must be a country code the holiday library knows (ISO 3166-1 alpha-2, upper case, e.g. "DK"), got ${v.got}`),
  region: text<{ country: string; known: string; got: string }>((v) => `unknown region of ${v.country} (known: ${v.known}), got ${v.got}`),
  regionNone: text<{ country: string; got: string }>((v) => `unknown region of ${v.country} (it has none), got ${v.got}`),
  closedList: text<{ got: string }>((v) => `must be a list of "YYYY-MM-DD" dates, got ${v.got}`),
  realDate: text<{ got: string }>((v) => `must be a real date "YYYY-MM-DD", got ${v.got}`),
  specialNotMap: text<{ got: string }>((v) => `must map "YYYY-MM-DD" dates to lists of pairs, got ${v.got}`),
  specialKeyDate: text(() => 'key must be a real date "YYYY-MM-DD"'),
  pairList: text<{ got: string }>((v) => `must be a list of ["HH:MM","HH:MM"] pairs, got ${v.got}`),
  pair: text<{ got: string }>((v) => `must be a pair ["HH:MM","HH:MM"], got ${v.got}`),
  pairStart: text<{ got: string }>((v) => `start must be a wall time "HH:MM" from 00:00 to 23:59, got ${v.got}`),
  pairEnd: text<{ got: string }>((v) => `end must be a wall time "HH:MM" from 00:01 to 24:00, got ${v.got}`),
  pairOrder: text<{ start: string; end: string }>((v) => `start ${v.start} must be before end ${v.end} (a pair never crosses midnight: split it over two days)`),
  notSorted: text<{ other: string }>((v) => `not sorted: starts before ${v.other}`),
  overlaps: text<{ other: string }>((v) => `overlaps ${v.other}`),
  // a ticket's SLA: why it cannot be computed
  noCreatedEvent: text(() => 'evaluateTicket: no "created" event'),
  policyNotInContract: text<{ id: string }>((v) => `evaluateTicket: unknown policy "${v.id}"`),
  calendarNotInContract: text<{ id: string }>((v) => `evaluateTicket: unknown calendar "${v.id}"`),
  contractNotHere: text<{ id: string }>((v) => `contract ${v.id} is not on this device`),
  slaUnavailable: text<{ why: string }>((v) => `cannot compute SLA: ${v.why}`),
  caseSlaUnavailable: text<{ case: string; why: string }>((v) => `case ${v.case}: cannot compute SLA: ${v.why}`),
  contractSlaUnavailable: text<{ agreement: string; why: string }>((v) => `contract ${v.agreement}: cannot compute SLA: ${v.why}`),
  // a rate card
  noRateForLevel: text<{ level: string }>((v) => `no hourly rate for level ${v.level}`),
  calendarNotDefined: text<{ id: string }>((v) => `calendar "${v.id}" is not defined`),
  noPricePerKm: text(() => 'the rate card has no price per km'),
  noSuchFee: text<{ fee: string }>((v) => `the rate card has no fee "${v.fee}"`),
  // the transport
  noAnswer: text<{ detail: string }>((v) => `the app's services did not answer: ${v.detail}`),
  uploadCutOff: text(() => "the upload was cut off: the app's services did not answer"),
  uploadHttp: text<{ status: string }>((v) => `the upload was answered with HTTP ${v.status}`),
} as const;

export type IssueKey = keyof typeof ISSUE_TEXT;
/** The request fields' rules (core/api: zod's messages are their English text). */
export type FieldRuleKey = 'required' | 'tooLong' | 'notPhone' | 'requiredByContract';
export const ISSUE_KEYS = Object.keys(ISSUE_TEXT) as IssueKey[];

/** A problem as the services report it: where, in English, and (where known) its key and values. */
export interface KeyedIssue {
  path: string;
  message: string;
  key?: IssueKey | FieldRuleKey;
  values?: IssueValues;
  /** The problems behind this one (why an SLA cannot be computed); the `why` of its text. */
  cause?: KeyedIssue[];
}

/** The issue `key` at `path`, with its English text made from `values`. */
export function issue(path: string, key: IssueKey, values: IssueValues = {}): KeyedIssue {
  return { path, message: ISSUE_TEXT[key](values), key, values };
}
