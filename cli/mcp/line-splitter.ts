/**
 * @module The lines of a byte stream, as they arrive in chunks of any size: MCP's stdio transport is one JSON-RPC
 * message per line, and a pipe may split a message anywhere (even inside a UTF-8 character) or carry several at once.
 */

/**
 * Collects chunks and hands back each complete line. A line is split at `\n` in the bytes, which never occurs inside a
 * multi-byte UTF-8 character, so a line is decoded only once it is whole. A chunk is kept as it is until its line
 * ends (no copy per chunk), so a long message costs one concatenation.
 * @example
 * const lines = new LineSplitter();
 * lines.push(Buffer.from('{"a":1}\n{"b"')); // ['{"a":1}']
 * lines.push(Buffer.from(":2}\n"));          // ['{"b":2}']
 */
export class LineSplitter {
  /** The start of the line being received, in the chunks it came in. */
  #parts: Buffer[] = [];

  /** The lines `chunk` completes, without their `\n` (nor a `\r` before it), decoded as UTF-8. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      const tail = chunk.subarray(from, nl);
      if (this.#parts.length === 0) lines.push(decode(tail));
      else {
        this.#parts.push(tail);
        lines.push(decode(Buffer.concat(this.#parts)));
        this.#parts = [];
      }
      from = nl + 1;
    }
    if (from < chunk.length) this.#parts.push(from === 0 ? chunk : chunk.subarray(from));
    return lines;
  }

  /** The last line when the stream ended without a `\n` after it; undefined when nothing is left. */
  end(): string | undefined {
    if (this.#parts.length === 0) return undefined;
    const rest = decode(Buffer.concat(this.#parts));
    this.#parts = [];
    return rest;
  }
}

function decode(line: Buffer): string {
  const end = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
  return line.toString("utf8", 0, end);
}
