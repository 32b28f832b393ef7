/**
 * Text folding for full-text search.
 *
 * FTS5's unicode61 tokenizer with `remove_diacritics 2` folds case and strips
 * combining marks after canonical decomposition: é -> e, å -> a, ü -> u,
 * ñ -> n. Letters that have no decomposition stay as they are: ø, æ, œ, ß, đ,
 * ł, þ, ð. So "Soren" would not find "Søren" and "Aero" would not find "Ærø".
 * We fold those few letters ourselves, in the indexed text and in the query
 * alike (ø -> o, æ -> ae, ...), and leave the rest to unicode61.
 */
const FOLD: Record<string, string> = {
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ẞ: 'SS',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
};
const FOLD_RE = /[øØæÆœŒßẞđĐðÐþÞłŁı]/g;

export function foldForSearch(text: string): string {
  return text.replace(FOLD_RE, (c) => FOLD[c] ?? c);
}

/**
 * Turns what a user typed into a safe FTS5 query: words are split on anything
 * that is not a letter or digit, each is quoted (so FTS5 syntax in the input is
 * never interpreted), all must match, and the last one matches as a prefix.
 * Returns null when there is nothing to search for.
 */
export function toFtsQuery(input: string): string | null {
  const words = foldForSearch(input.normalize('NFC'))
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 16);
  if (!words.length) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** The fields of a ticket its search row holds (source 'ticket'): the words a duty officer remembers about a call. */
export interface TicketSearchFields {
  title: string | null;
  description: string | null;
  reporterName: string | null;
  customerRef: string | null;
}

/** The folded text of a ticket's search row, or '' when it has none; one definition for the store, sync and migration 0012. */
export function ticketSearchText(t: TicketSearchFields): string {
  return foldForSearch([t.title, t.description, t.reporterName, t.customerRef].filter(Boolean).join('\n'));
}

/** Did an edit change what the ticket's search row holds? */
export const searchFieldsChanged = (a: TicketSearchFields, b: TicketSearchFields): boolean =>
  a.title !== b.title || a.description !== b.description || a.reporterName !== b.reporterName || a.customerRef !== b.customerRef;

/** A LIKE pattern (ESCAPE '\\') matching text that contains `part`. */
export const containsPattern = (part: string): string => `%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
