/**
 * @module Tool calls from an MCP session's messages: each `tools/call` request the client sends is matched, by its
 * JSON-RPC id, with the server's response, and the pair becomes one record of the tool-call log (`ToolCallMetric`,
 * what `weave run --log` writes and `weave mine` reads).
 */
import type { ToolCallMetric } from "../../src/monitor/index.js";

export interface ToolCallMatcherOptions {
  /** Records are named `<serverName>.<tool>`; without it, by the tool's own name. */
  readonly serverName?: string | undefined;
  /**
   * A call that starts more than this many ms after the previous calls ended (none is waiting for its response)
   * starts a new session: a new execution id. Infinity keeps one session for the whole proxy.
   */
  readonly idleGapMs: number;
  /** Receives each call once its response (or its cancellation, or the end of the session) is seen. */
  readonly record: (metric: ToolCallMetric) => void;
  /** A new session's execution id. */
  readonly newSessionId: () => string;
  /** The time: ms since the epoch, with fractions. */
  readonly now: () => number;
}

interface PendingCall {
  readonly toolName: string;
  readonly executionId: string;
  readonly startedAt: number;
  readonly parameters: unknown;
}

/** Longest `error` text kept from a tool's own error content (the whole content stays in `result`). */
const MAX_ERROR_TEXT = 1000;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Watches the messages both ways and records the calls. Messages are JSON values as parsed from the stream; anything
 * that is not a JSON-RPC message this cares about is ignored, and so is a batch's element that is not.
 */
export class ToolCallMatcher {
  readonly #options: ToolCallMatcherOptions;
  /** By `JSON.stringify(id)`, so the ids 1 and "1" stay apart. */
  readonly #pending = new Map<string, PendingCall>();
  #sessionId: string | undefined;
  /** When the latest recorded call ended. */
  #lastEnd = -Infinity;

  constructor(options: ToolCallMatcherOptions) {
    this.#options = options;
  }

  /** Calls sent and not yet answered. */
  get pending(): number {
    return this.#pending.size;
  }

  /** A message (or batch) the client sent to the server. */
  fromClient(message: unknown): void {
    for (const m of Array.isArray(message) ? message : [message]) {
      if (!isObject(m)) continue;
      if (m.method === "tools/call") this.#request(m);
      else if (m.method === "notifications/cancelled" && isObject(m.params)) this.#cancelled(m.params);
    }
  }

  /** A message (or batch) the server sent to the client. */
  fromServer(message: unknown): void {
    for (const m of Array.isArray(message) ? message : [message]) {
      if (!isObject(m) || Object.hasOwn(m, "method") || !isId(m.id)) continue;
      const call = this.#take(m.id);
      if (call === undefined) continue;
      if (isObject(m.error)) this.#finish(call, false, rpcErrorText(m.error), undefined);
      else if (m.result === undefined) this.#finish(call, false, "the server's response has neither a result nor an error", undefined);
      else if (isObject(m.result) && m.result.isError === true) this.#finish(call, false, toolErrorText(m.result), m.result);
      else this.#finish(call, true, undefined, m.result);
    }
  }

  /** Records every call still waiting for its response as failed with `reason` (the server exited, say). */
  finish(reason: string): void {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) this.#finish(call, false, reason, undefined);
  }

  #request(m: Record<string, unknown>): void {
    const params = isObject(m.params) ? m.params : undefined;
    // a request without an id is a notification, which gets no response; one without a tool name, an invalid call
    if (!isId(m.id) || typeof params?.name !== "string") return;
    const startedAt = this.#options.now();
    const { serverName } = this.#options;
    this.#pending.set(JSON.stringify(m.id), {
      toolName: serverName === undefined ? params.name : `${serverName}.${params.name}`,
      executionId: this.#session(startedAt),
      startedAt,
      parameters: params.arguments,
    });
  }

  #cancelled(params: Record<string, unknown>): void {
    if (!isId(params.requestId)) return;
    const call = this.#take(params.requestId);
    if (call === undefined) return;
    const reason = typeof params.reason === "string" && params.reason !== "" ? `: ${params.reason}` : "";
    this.#finish(call, false, `cancelled by the client${reason}`, undefined);
  }

  #take(id: string | number): PendingCall | undefined {
    const key = JSON.stringify(id);
    const call = this.#pending.get(key);
    this.#pending.delete(key);
    return call;
  }

  /** The session a call starting at `at` belongs to: a new one after an idle gap. */
  #session(at: number): string {
    if (this.#sessionId === undefined || (this.#pending.size === 0 && at - this.#lastEnd > this.#options.idleGapMs)) {
      this.#sessionId = this.#options.newSessionId();
    }
    return this.#sessionId;
  }

  #finish(call: PendingCall, success: boolean, error: string | undefined, result: unknown): void {
    const end = this.#options.now();
    if (end > this.#lastEnd) this.#lastEnd = end;
    this.#options.record({
      toolName: call.toolName,
      stepId: "",
      executionId: call.executionId,
      attempt: 1,
      timestamp: call.startedAt,
      durationMs: Math.max(0, end - call.startedAt),
      success,
      ...(error === undefined ? {} : { error }),
      ...(call.parameters === undefined ? {} : { parameters: call.parameters }),
      ...(result === undefined ? {} : { result }),
    });
  }
}

/** A JSON-RPC id: a string or a number (null is not one a request may use). */
function isId(v: unknown): v is string | number {
  return typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
}

/** `Tool foo not found (JSON-RPC error -32602)`. */
function rpcErrorText(error: Record<string, unknown>): string {
  const message = typeof error.message === "string" && error.message !== "" ? error.message : "the server answered with an error";
  return typeof error.code === "number" ? `${message} (JSON-RPC error ${error.code})` : message;
}

/** The text a tool reported its failure with (`isError: true`): its text content, joined. */
function toolErrorText(result: Record<string, unknown>): string {
  const texts = Array.isArray(result.content)
    ? result.content.flatMap((c) => (isObject(c) && c.type === "text" && typeof c.text === "string" ? [c.text] : []))
    : [];
  const text = texts.join("\n").trim();
  if (text === "") return "the tool reported an error (isError) without a text";
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 3)}...` : text;
}
