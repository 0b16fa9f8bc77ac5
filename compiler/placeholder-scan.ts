/**
 * @module Where each `{{placeholder}}` of a string is: the same scan as `parseText`, keeping character ranges so
 * diagnostics can point at exactly the `{{...}}` characters.
 */
import { parseReference, type Reference } from "../src/placeholder/path.js";

export interface PlaceholderAt {
  readonly ref: Reference;
  /** Range of the whole `{{...}}` in the string, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/** Every well-formed placeholder of `text`; malformed ones are skipped (`invalid-template` reports them). */
export function scanPlaceholders(text: string): PlaceholderAt[] {
  const found: PlaceholderAt[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf("{{", from);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) break;
    const body = text.slice(open + 2, close).trim();
    try {
      found.push({ ref: parseReference(body), start: open, end: close + 2 });
    } catch {
      // reported by invalid-template
    }
    from = close + 2;
  }
  return found;
}
