import { positionAt } from "./text-position.js";
/**
 * @module Where a JSON syntax error is: V8 says "at position N" for most errors but not for an unexpected token or
 * the end of input, so a small scanner finds the offset of the first character that breaks the grammar.
 */

export interface JsonErrorLocation {
  /** 0-based character offset. */
  offset: number;
  /** 1-based. */
  line: number;
  column: number;
  /** What is wrong, lowercase, without V8's position or its echo of the input. */
  message: string;
}

/** Locates the error `JSON.parse(text)` threw. */
export function locateJsonError(text: string, error: Error): JsonErrorLocation {
  const position = /at position (\d+)/.exec(error.message);
  const offset = position ? Number(position[1]) : findJsonErrorOffset(text);
  return { offset, ...lineColumn(text, offset), message: describeJsonError(error.message) };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const { line, column } = positionAt(text, offset);
  return { line, column };
}

export function describeJsonError(message: string): string {
  const what = message
    .replace(/ (in JSON )?at position \d+[\s\S]*$/, "")
    .replace(/, "[\s\S]*" is not valid JSON$/, "")
    // "Unexpected token '<newline>'" quotes the raw character
    .replace(/[\x00-\x1f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return what.charAt(0).toLowerCase() + what.slice(1);
}

class Stop {
  constructor(readonly offset: number) {}
}

/** Offset of the first character that is not valid JSON (the length for a truncated text); -1 when valid. */
export function findJsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const space = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    if (text[i] !== c) fail();
    i++;
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[i] ?? "")) fail();
    while (/[0-9]/.test(text[i] ?? "")) i++;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < " ") fail();
      i++;
      if (c === '"') return;
      if (c === "\\") {
        if (!'"\\/bfnrtu'.includes(text[i] ?? "x")) fail();
        if (text[i++] === "u") for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? "")) fail();
      }
    }
  };
  const number = (): void => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") {
      i++;
      digits();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  const word = (): void => {
    const c = text[i];
    const w = c === "t" ? "true" : c === "f" ? "false" : c === "n" ? "null" : fail();
    for (const ch of w) expect(ch);
  };
  const key = (): void => {
    string();
    space();
    expect(":");
    space();
  };
  // iterative, with the closers of the open arrays and objects on a stack: a text nested thousands of levels
  // deep must not overflow the stack while its error is being located
  const closers: string[] = [];
  try {
    space();
    for (;;) {
      // at the start of a value
      const c = text[i];
      if (c === "{" || c === "[") {
        const close = c === "{" ? "}" : "]";
        i++;
        space();
        if (text[i] === close) i++;
        else {
          closers.push(close);
          if (close === "}") key();
          continue;
        }
      } else if (c === '"') string();
      else if (c === "-" || /[0-9]/.test(c ?? "")) number();
      else word();
      // after a value: close what ends here, then the next item, or the end of the text
      for (;;) {
        space();
        const close = closers.at(-1);
        if (close === undefined) {
          if (i < text.length) fail();
          return -1;
        }
        if (text[i] === close) {
          i++;
          closers.pop();
          continue;
        }
        expect(",");
        space();
        if (close === "}") key();
        break;
      }
    }
  } catch (stop) {
    if (stop instanceof Stop) return stop.offset;
    throw stop;
  }
}
