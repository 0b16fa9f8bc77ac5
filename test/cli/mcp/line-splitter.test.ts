// The relay's line splitter: MCP messages are JSON lines, and a pipe delivers them cut anywhere.
import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../../cli/mcp/line-splitter.js";

/** Every line `chunks` complete, and what `end()` leaves. */
function split(chunks: (string | Buffer)[]): { lines: string[]; rest: string | undefined } {
  const splitter = new LineSplitter();
  const lines = chunks.flatMap((chunk) => splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
  return { lines, rest: splitter.end() };
}

describe("LineSplitter", () => {
  it("returns the lines of a chunk, without their newline", () => {
    expect(split(['{"a":1}\n{"b":2}\n'])).toEqual({ lines: ['{"a":1}', '{"b":2}'], rest: undefined });
  });

  it("joins a line split across chunks, and keeps an unfinished one for the next chunk", () => {
    expect(split(['{"jsonrpc":"2.0",', '"id":1', ',"result":{}}\n{"id"', ":2}\n"])).toEqual({
      lines: ['{"jsonrpc":"2.0","id":1,"result":{}}', '{"id":2}'],
      rest: undefined,
    });
  });

  it("decodes a multi-byte character split between chunks", () => {
    const bytes = Buffer.from('{"text":"✓ é"}\n');
    const check = bytes.indexOf(Buffer.from("✓"));
    const chunks = [bytes.subarray(0, check + 1), bytes.subarray(check + 1, check + 2), bytes.subarray(check + 2)];
    expect(split(chunks).lines).toEqual(['{"text":"✓ é"}']);
  });

  it("splits chunks of one byte each", () => {
    const bytes = Buffer.from("ab\n\ncd\n€\n");
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(split(chunks)).toEqual({ lines: ["ab", "", "cd", "€"], rest: undefined });
  });

  it("drops the \\r of a \\r\\n, also when it ends a chunk", () => {
    expect(split(["one\r\ntwo\r", "\nthree\r\n"]).lines).toEqual(["one", "two", "three"]);
  });

  it("gives the last line when the stream ends without a newline", () => {
    expect(split(['{"a":1}\n{"b"', ":2}"])).toEqual({ lines: ['{"a":1}'], rest: '{"b":2}' });
    expect(split(["x\n"]).rest).toBeUndefined();
  });

  it("does not hold on to data it has returned", () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from("a\nb"))).toEqual(["a"]);
    expect(splitter.push(Buffer.from("c\n"))).toEqual(["bc"]);
    expect(splitter.push(Buffer.from("d\n"))).toEqual(["d"]);
    expect(splitter.end()).toBeUndefined();
  });
});
