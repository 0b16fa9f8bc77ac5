// normaliseToolCall: toolweave's records (ms or ISO-8601 timestamps, with or without step ids and attempts) and the
// original system's (tool_name, latency in seconds, the ISO time the call ended) become one ToolCallMetric; anything
// else is refused with every reason.
import { describe, expect, it } from "vitest";
import { normaliseToolCall, parseIsoTimestamp } from "../../../src/monitor/log-record.js";

const T = Date.UTC(2025, 2, 3, 9, 0, 0); // 2025-03-03T09:00:00Z

describe("normaliseToolCall", () => {
  it.each([
    [
      "the monitor's own record, as it is",
      {
        toolName: "a",
        stepId: "s",
        executionId: "e",
        workflowName: "w",
        attempt: 2,
        timestamp: T,
        durationMs: 1.5,
        success: false,
        error: "x",
        parameters: { p: 1 },
        result: null,
      },
      {
        toolName: "a",
        stepId: "s",
        executionId: "e",
        workflowName: "w",
        attempt: 2,
        timestamp: T,
        durationMs: 1.5,
        success: false,
        error: "x",
        parameters: { p: 1 },
        result: null,
      },
    ],
    [
      "without stepId, executionId and attempt, an ISO timestamp, unknown keys dropped",
      { toolName: "a", timestamp: "2025-03-03T09:00:00.250Z", durationMs: 20, success: true, host: "ci-7" },
      { toolName: "a", stepId: "", executionId: "", attempt: 1, timestamp: T + 250, durationMs: 20, success: true },
    ],
    [
      "executionId and error null",
      { toolName: "a", executionId: null, timestamp: T, durationMs: 0, success: true, error: null },
      { toolName: "a", stepId: "", executionId: "", attempt: 1, timestamp: T, durationMs: 0, success: true },
    ],
    [
      "the original system's record: latency in seconds, logged when the call ended",
      {
        timestamp: "2025-03-03T09:00:02.500000+00:00",
        tool_name: "docker_build",
        success: true,
        latency: 2.5,
        error: null,
        execution_id: "exec-1",
      },
      { toolName: "docker_build", stepId: "", executionId: "exec-1", attempt: 1, timestamp: T, durationMs: 2500, success: true },
    ],
    [
      "the original's record without an execution id, failed, with parameters and a result",
      {
        timestamp: "2025-03-03 11:00:01+02:00",
        tool_name: "scan",
        success: false,
        latency: 1,
        error: "CVE",
        execution_id: null,
        parameters: { id: 1 },
        result: { partial: true },
      },
      {
        toolName: "scan",
        stepId: "",
        executionId: "",
        attempt: 1,
        timestamp: T,
        durationMs: 1000,
        success: false,
        error: "CVE",
        parameters: { id: 1 },
        result: { partial: true },
      },
    ],
    [
      "the original's record with a numeric timestamp: seconds, like its latency",
      { timestamp: T / 1000 + 0.5, tool_name: "a", success: true, latency: 0.5 },
      { toolName: "a", stepId: "", executionId: "", attempt: 1, timestamp: T, durationMs: 500, success: true },
    ],
  ])("%s", (_name, input, expected) => {
    const out = normaliseToolCall(input);
    expect(out).toEqual({ ok: true, record: expected });
    // keys in the monitor's order, so a record read back prints like one written
    if (out.ok) expect(Object.keys(out.record)).toEqual(Object.keys(expected));
  });

  it.each([
    [null, "expecting a JSON object, got null"],
    [[1], "expecting a JSON object, got an array"],
    [
      { timestamp: "2025-03-03T09:00:00Z", input: 10, output: 3 },
      'neither "toolName" (toolweave\'s records) nor "tool_name" (the original system\'s): not a tool call. its keys are "timestamp", "input", "output"',
    ],
    [{}, 'neither "toolName" (toolweave\'s records) nor "tool_name" (the original system\'s): not a tool call. it has no keys'],
    [
      { toolName: 3, timestamp: "yesterday", durationMs: -1, success: "yes", attempt: 0, stepId: 4, executionId: 5, error: 6 },
      '"toolName" must be a string, got 3; "stepId" must be a string, got 4; "executionId" must be a string, got 5; "attempt" must be an integer of 1 or more, got 0; "timestamp" must be ms since the epoch or an ISO-8601 date and time, got "yesterday"; "durationMs" must be a number of 0 or more, got -1; "success" must be true or false, got "yes"; "error" must be a string, got 6',
    ],
    [
      { toolName: "a", timestamp: 1, latency: 0.2, success: true },
      '"durationMs" must be a number of 0 or more, got nothing ("latency", in seconds, goes with "tool_name": the original system\'s records)',
    ],
    [
      { tool_name: "a", timestamp: "2025-02-30T10:00:00", latency: "2", success: 1, execution_id: 7, error: false },
      '"execution_id" must be a string or null, got 7; "timestamp" must be an ISO-8601 date and time (or seconds since the epoch), got "2025-02-30T10:00:00"; "latency" must be a number of seconds, 0 or more, got "2"; "success" must be true or false, got 1; "error" must be a string or null, got false (a record of the original system)',
    ],
  ])("refuses %j, saying why", (input, problem) => {
    expect(normaliseToolCall(input)).toEqual({ ok: false, problem });
  });
});

describe("parseIsoTimestamp", () => {
  it.each([
    ["2025-03-03T09:00:00Z", T],
    ["2025-03-03T09:00:00.123456+00:00", T + 123.456],
    ["2025-03-03T10:30:00+01:30", T],
    ["2025-03-03T04:00:00-0500", T],
    ["2025-03-03T11:00:00+02", T],
    ["2025-03-03 09:00:00", T], // Python's str(datetime); no offset: UTC, the same on every machine
    ["2025-03-03T09:00", T],
    ["2025-03-03T09:00:00,5Z", T + 500],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
  ])("%s", (text, ms) => {
    expect(parseIsoTimestamp(text)).toBeCloseTo(ms, 6);
  });

  it("reads years below 100 as they are (Date.UTC would make 99 into 1999)", () => {
    expect(new Date(parseIsoTimestamp("0099-12-31T23:59:59Z")!).toISOString()).toBe("0099-12-31T23:59:59.000Z");
  });

  it.each([
    "",
    "2025-03-03",
    "2025-02-29T00:00:00Z",
    "2025-13-01T00:00:00Z",
    "2025-03-03T24:00:00Z",
    "2025-03-03T09:60:00Z",
    "2025-03-03T09:00:00+25:00",
    "03/03/2025 09:00",
    "1741000000",
    "2025-03-03T09:00:00Zulu",
  ])("refuses %j", (text) => {
    expect(parseIsoTimestamp(text)).toBeUndefined();
  });
});
