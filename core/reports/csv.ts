/** CSV as RFC 4180 says (CRLF line ends, fields with `"`, `,`, CR or LF quoted, quotes doubled), UTF-8 with a BOM for Excel. */

export type CsvField = string | number | null | undefined;

export const BOM = '\uFEFF';

export function csvField(v: CsvField): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header row and data rows as one CSV text, starting with the BOM. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvField[]>): string {
  return BOM + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
