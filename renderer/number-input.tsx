/** A number field: text with a decimal comma or point, parsed by number-text.ts `parseDecimal`. */
import type { InputHTMLAttributes } from 'react';

/** A text field for a number, with the numeric keyboard on touch screens. */
export function NumberInput(props: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  return <input type="text" inputMode="decimal" autoComplete="off" {...props} />;
}
