// Matching an MCP session's tools/call requests with their responses, into tool-call log records.
import { describe, expect, it } from "vitest";
import { ToolCallMatcher, type ToolCallMatcherOptions } from "../../../cli/mcp/tool-call-matcher.js";
import type { ToolCallMetric } from "../../../src/monitor/index.js";

/** A matcher on a clock the test moves (`at`), with sessions s1, s2, ... */
function setup(options: Partial<ToolCallMatcherOptions> = {}) {
  const records: ToolCallMetric[] = [];
  let time = 1000;
  let sessions = 0;
  const matcher = new ToolCallMatcher({
    idleGapMs: Infinity,
    record: (metric) => records.push(metric),
    newSessionId: () => `s${++sessions}`,
    now: () => time,
    ...options,
  });
  const at = (t: number): void => void (time = t);
  return { matcher, records, at };
}

const call = (id: unknown, name: string, args?: unknown) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, ...(args === undefined ? {} : { arguments: args }) },
});
const ok = (id: unknown, result: unknown) => ({ jsonrpc: "2.0", id, result });

describe("ToolCallMatcher", () => {
  it("records a call with its arguments and result once its response comes, timed from the request", () => {
    const { matcher, records, at } = setup({ serverName: "memory" });
    matcher.fromClient(call(1, "read_graph", { depth: 2 }));
    expect(records).toEqual([]);
    expect(matcher.pending).toBe(1);
    at(1012.5);
    matcher.fromServer(ok(1, { content: [], structuredContent: { entities: [] } }));
    expect(records).toEqual([
      {
        toolName: "memory.read_graph",
        stepId: "",
        executionId: "s1",
        attempt: 1,
        timestamp: 1000,
        durationMs: 12.5,
        success: true,
        parameters: { depth: 2 },
        result: { content: [], structuredContent: { entities: [] } },
      },
    ]);
    expect(matcher.pending).toBe(0);
  });

  it("names a tool by its own name without a server name, and leaves out arguments it was not given", () => {
    const { matcher, records } = setup();
    matcher.fromClient(call("a", "read_graph"));
    matcher.fromServer(ok("a", {}));
    expect(records[0]).toMatchObject({ toolName: "read_graph", success: true });
    expect(records[0]).not.toHaveProperty("parameters");
  });

  it("records a JSON-RPC error as a failure with its message and code, and no result", () => {
    const { matcher, records } = setup();
    matcher.fromClient(call(7, "nope", {}));
    matcher.fromServer({ jsonrpc: "2.0", id: 7, error: { code: -32602, message: "Tool nope not found" } });
    expect(records).toEqual([
      expect.objectContaining({ toolName: "nope", success: false, error: "Tool nope not found (JSON-RPC error -32602)" }),
    ]);
    expect(records[0]).not.toHaveProperty("result");
  });

  it("records a result with isError: true as a failure whose error is its text, keeping the result", () => {
    const { matcher, records } = setup();
    const result = {
      content: [
        { type: "text", text: "disk full" },
        { type: "image", data: "AA==" },
        { type: "text", text: "retry later" },
      ],
      isError: true,
    };
    matcher.fromClient(call(1, "write", { path: "/x" }));
    matcher.fromServer(ok(1, result));
    expect(records).toEqual([expect.objectContaining({ success: false, error: "disk full\nretry later", result })]);
  });

  it("shortens a long error text, and says when an isError result has none", () => {
    const { matcher, records } = setup();
    matcher.fromClient(call(1, "a"));
    matcher.fromServer(ok(1, { content: [{ type: "text", text: "x".repeat(5000) }], isError: true }));
    matcher.fromClient(call(2, "b"));
    matcher.fromServer(ok(2, { content: [], isError: true }));
    expect(records[0]!.error).toBe(`${"x".repeat(997)}...`);
    expect(records[1]!.error).toBe("the tool reported an error (isError) without a text");
  });

  it('matches by id, in any order, telling the ids 1 and "1" apart', () => {
    const { matcher, records, at } = setup();
    matcher.fromClient(call(1, "number"));
    matcher.fromClient(call("1", "string"));
    at(1005);
    matcher.fromServer(ok("1", { n: "s" }));
    at(1009);
    matcher.fromServer(ok(1, { n: 1 }));
    expect(records.map((r) => [r.toolName, r.result, r.durationMs])).toEqual([
      ["string", { n: "s" }, 5],
      ["number", { n: 1 }, 9],
    ]);
  });

  it("ignores what is not a tool call: other requests, notifications, messages the server sends, non-objects", () => {
    const { matcher, records } = setup();
    matcher.fromClient({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    matcher.fromServer(ok(1, { tools: [] }));
    matcher.fromClient({ jsonrpc: "2.0", method: "tools/call", params: { name: "no_id" } });
    matcher.fromClient({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { arguments: {} } });
    matcher.fromClient(call(3, "real"));
    // a request of the server's own, with the same id, and the client's answer to it: not the call's response
    matcher.fromServer({ jsonrpc: "2.0", id: 3, method: "sampling/createMessage", params: {} });
    matcher.fromClient({ jsonrpc: "2.0", id: 3, result: {} });
    matcher.fromServer(null);
    matcher.fromServer("text");
    matcher.fromServer(ok(99, {}));
    expect(records).toEqual([]);
    expect(matcher.pending).toBe(1);
    matcher.fromServer(ok(3, { done: true }));
    expect(records).toEqual([expect.objectContaining({ toolName: "real", result: { done: true } })]);
  });

  it("reads batches both ways", () => {
    const { matcher, records } = setup();
    matcher.fromClient([call(1, "a"), { jsonrpc: "2.0", method: "notifications/progress" }, call(2, "b")]);
    matcher.fromServer([ok(2, {}), ok(1, {})]);
    expect(records.map((r) => r.toolName)).toEqual(["b", "a"]);
  });

  it("records a call the client cancels as failed, and ignores a response after it", () => {
    const { matcher, records } = setup();
    matcher.fromClient(call(1, "slow"));
    matcher.fromClient({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1, reason: "timed out" } });
    matcher.fromServer(ok(1, {}));
    expect(records).toEqual([expect.objectContaining({ toolName: "slow", success: false, error: "cancelled by the client: timed out" })]);
  });

  it("records the calls still waiting at the end as failed with the reason given", () => {
    const { matcher, records } = setup();
    matcher.fromClient(call(1, "a"));
    matcher.fromClient(call(2, "b"));
    matcher.fromServer(ok(1, {}));
    matcher.finish("no response: the MCP server exited with code 1");
    expect(records.map((r) => [r.toolName, r.success, r.error])).toEqual([
      ["a", true, undefined],
      ["b", false, "no response: the MCP server exited with code 1"],
    ]);
    expect(matcher.pending).toBe(0);
  });

  it("records a response without a result or an error as a failure", () => {
    const { matcher, records } = setup();
    matcher.fromClient(call(1, "a"));
    matcher.fromServer({ jsonrpc: "2.0", id: 1 });
    expect(records).toEqual([
      expect.objectContaining({ success: false, error: "the server's response has neither a result nor an error" }),
    ]);
  });

  it("starts a new session after an idle gap, never while a call is waiting", () => {
    const { matcher, records, at } = setup({ idleGapMs: 100 });
    const roundTrip = (id: number, start: number, end: number): void => {
      at(start);
      matcher.fromClient(call(id, `t${id}`));
      at(end);
      matcher.fromServer(ok(id, {}));
    };
    roundTrip(1, 0, 10);
    roundTrip(2, 110, 120); // 100 ms after the last end: same session
    roundTrip(3, 221, 230); // 101 ms: a new one
    at(500);
    matcher.fromClient(call(4, "t4")); // after a gap: new session
    at(900);
    matcher.fromClient(call(5, "t5")); // 400 ms later, but t4 is still waiting: same session
    matcher.fromServer(ok(4, {}));
    matcher.fromServer(ok(5, {}));
    expect(records.map((r) => [r.toolName, r.executionId])).toEqual([
      ["t1", "s1"],
      ["t2", "s1"],
      ["t3", "s2"],
      ["t4", "s3"],
      ["t5", "s3"],
    ]);
  });
});
