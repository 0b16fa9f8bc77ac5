/**
 * A direct, slow reading of the detector's semantics, for the property test: sessions by execution id (calls without
 * one split at idle gaps), stable order by start, retries merged into the latest earlier call of their step, every
 * window of 2..L calls counted under a string key.
 */
import type { ToolCallRecord } from "../../../src/patterns/index.js";

export interface NaiveOptions {
  minFrequency: number;
  minSuccessRate: number;
  maxSequenceLength: number;
  closed: boolean;
  idleGapMs: number;
}

export interface NaiveSequence {
  tools: string[];
  frequency: number;
  successCount: number;
  avgDurationMs: number;
}

interface Call {
  toolName: string;
  stepId: string;
  ok: boolean;
  dur: number;
}

export function naiveSessions(records: readonly ToolCallRecord[], idleGapMs: number): ToolCallRecord[][] {
  const byId = new Map<string, ToolCallRecord[]>();
  for (const r of records) {
    const key = r.executionId ?? "";
    byId.set(key, [...(byId.get(key) ?? []), r]);
  }
  const sessions: ToolCallRecord[][] = [];
  for (const [key, list] of byId) {
    const sorted = list
      .map((r, i) => ({ r, i }))
      .sort((a, b) => a.r.timestamp - b.r.timestamp || a.i - b.i)
      .map((x) => x.r);
    if (key !== "") {
      sessions.push(sorted);
      continue;
    }
    let current: ToolCallRecord[] = [];
    let end = -Infinity;
    for (const r of sorted) {
      if (current.length > 0 && r.timestamp - end > idleGapMs) {
        sessions.push(current);
        current = [];
        end = -Infinity;
      }
      current.push(r);
      end = Math.max(end, r.timestamp + r.durationMs);
    }
    if (current.length > 0) sessions.push(current);
  }
  return sessions;
}

export function naiveCalls(session: readonly ToolCallRecord[]): Call[] {
  const calls: Call[] = [];
  for (const r of session) {
    if ((r.attempt ?? 1) > 1 && r.stepId) {
      let latest = -1;
      for (let k = calls.length - 1; k >= 0; k--)
        if (calls[k]!.stepId === r.stepId) {
          latest = k;
          break;
        }
      if (latest >= 0 && calls[latest]!.toolName === r.toolName) {
        calls[latest]!.ok = r.success;
        calls[latest]!.dur += r.durationMs;
        continue;
      }
    }
    calls.push({ toolName: r.toolName, stepId: r.stepId ?? "", ok: r.success, dur: r.durationMs });
  }
  return calls;
}

export function naiveAnalyze(records: readonly ToolCallRecord[], o: NaiveOptions): NaiveSequence[] {
  const stats = new Map<string, { tools: string[]; f: number; s: number; d: number }>();
  for (const session of naiveSessions(records, o.idleGapMs)) {
    const calls = naiveCalls(session);
    for (let i = 0; i < calls.length; i++) {
      for (let len = 2; len <= o.maxSequenceLength && i + len <= calls.length; len++) {
        const window = calls.slice(i, i + len);
        const tools = window.map((c) => c.toolName);
        const key = tools.join("\u0000");
        const entry = stats.get(key) ?? { tools, f: 0, s: 0, d: 0 };
        entry.f++;
        if (window.every((c) => c.ok)) entry.s++;
        entry.d += window.reduce((sum, c) => sum + c.dur, 0);
        stats.set(key, entry);
      }
    }
  }
  let out = [...stats.values()].filter((e) => e.f >= o.minFrequency && e.s / e.f >= o.minSuccessRate);
  if (o.closed) {
    const passing = new Map(out.map((e) => [e.tools.join("\u0000"), e]));
    out = out.filter((e) => {
      for (const longer of passing.values()) {
        if (longer.tools.length !== e.tools.length + 1 || longer.f !== e.f) continue;
        const key = e.tools.join("\u0000");
        if (longer.tools.slice(1).join("\u0000") === key || longer.tools.slice(0, -1).join("\u0000") === key) return false;
      }
      return true;
    });
  }
  return out
    .map((e) => ({ tools: e.tools, frequency: e.f, successCount: e.s, avgDurationMs: e.d / e.f }))
    .sort(
      (a, b) =>
        b.successCount - a.successCount ||
        b.tools.length - a.tools.length ||
        (a.tools.join("\u0000") < b.tools.join("\u0000") ? -1 : a.tools.join("\u0000") > b.tools.join("\u0000") ? 1 : 0),
    );
}
