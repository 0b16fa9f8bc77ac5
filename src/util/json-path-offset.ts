/**
 * @module Where a value is in a JSON text, found by its path with one iterative scan: no recursion, so a text
 * nested thousands of levels deep (which overflows a recursive JSON tree builder) can still be located.
 */

interface Level {
  readonly array: boolean;
  /** The current element's index (arrays). */
  index: number;
  /** Offset of the current member's key (objects). */
  keyAt: number;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The offset of the value at `path` in `text` (valid JSON), or of its key when it is an object's member (where an
 * editor puts the cursor for "this field"); undefined when there is no value at that path.
 */
export function offsetOfPath(text: string, path: readonly (string | number)[]): number | undefined {
  const stack: Level[] = [];
  /** How many levels, from the top one down, are at the element `path` names at that level. */
  let matched = 0;
  /** The element of the innermost level is now `segment`: does it continue the match? */
  const at = (segment: string | number): void => {
    const level = stack.length - 1;
    if (matched >= level) matched = level < path.length && path[level] === segment ? level + 1 : level;
  };
  /** At the start of a value: is it the one? */
  const found = (offset: number): number | undefined => {
    const top = stack.at(-1);
    if (top?.array) at(top.index);
    if (matched !== path.length || stack.length !== path.length) return undefined;
    return top === undefined || top.array ? offset : top.keyAt;
  };
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 0x3a /* : */) {
      i++;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const hit = found(i);
      if (hit !== undefined) return hit;
      stack.push({ array: c === 0x5b, index: 0, keyAt: -1 });
      expectKey = c === 0x7b;
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      matched = Math.min(matched, stack.length);
      expectKey = false;
      i++;
    } else if (c === 0x2c /* , */) {
      const top = stack.at(-1);
      if (top?.array) top.index++;
      else expectKey = true;
      i++;
    } else if (c === 0x22 /* " */) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey && top !== undefined && !top.array) {
        top.keyAt = i;
        at(JSON.parse(text.slice(i, end + 1)) as string);
        expectKey = false;
      } else {
        const hit = found(i);
        if (hit !== undefined) return hit;
      }
      i = end + 1;
    } else {
      // a number, true, false or null
      const hit = found(i);
      if (hit !== undefined) return hit;
      while (i < text.length && !isSpace(text.charCodeAt(i)) && !",}]".includes(text[i]!)) i++;
    }
  }
  return undefined;
}
