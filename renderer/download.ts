/** Saves a file the services made (a report, a PDF) through the browser's download. */
import type { FileView } from '../core/api/reports.js';

export function download(file: FileView): void {
  const body = file.mediaType === 'application/pdf' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content;
  const url = URL.createObjectURL(new Blob([body], { type: file.mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
