/** Whether the customer accepted the repair quote: the latest note that says so (`quoteAccepted`, docs/warranty.md). */
export function quoteAcceptedOf(events: ReadonlyArray<{ type: string; at: number; data: Record<string, unknown> }>): boolean {
  let accepted = false;
  for (const e of events) if (e.type === 'note' && typeof e.data.quoteAccepted === 'boolean') accepted = e.data.quoteAccepted;
  return accepted;
}
