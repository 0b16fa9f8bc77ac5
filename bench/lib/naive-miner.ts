/**
 * The baseline the pattern miner is compared with: the straightforward implementation (as the original Python
 * system did it, in JavaScript): every record kept, grouped into per-session arrays, each session sorted, and every
 * window counted in a Map under a string key made by joining tool names. Same semantics as the miner.
 */
import type { ToolCallRecord } from "../../src/patterns/index.js";

export interface NaiveResult {
  tools: string[];
  frequency: number;
  successCount: number;
  avgDurationMs: number;
}

export function naiveMine(
  records: Iterable<ToolCallRecord>,
  maxLength: number,
  minFrequency: number,
  minSuccessRate: number,
  idleGapMs = 300_000,
): NaiveResult[] {
  const sessions = new Map<string, ToolCallRecord[]>();
  for (const r of records) {
    const key = r.executionId ?? "";
    const list = sessions.get(key);
    if (list) list.push(r);
    else sessions.set(key, [r]);
  }
  const counts = new Map<string, { tools: string[]; frequency: number; successCount: number; duration: number }>();
  const countSession = (list: ToolCallRecord[]): void => {
    const calls: { tool: string; step: string; ok: boolean; dur: number }[] = [];
    const byStep = new Map<string, number>();
    for (const r of list) {
      const at = (r.attempt ?? 1) > 1 && r.stepId ? byStep.get(r.stepId) : undefined;
      if (at !== undefined && calls[at]!.tool === r.toolName) {
        calls[at]!.ok = r.success;
        calls[at]!.dur += r.durationMs;
        continue;
      }
      if (r.stepId) byStep.set(r.stepId, calls.length);
      calls.push({ tool: r.toolName, step: r.stepId ?? "", ok: r.success, dur: r.durationMs });
    }
    for (let i = 0; i < calls.length; i++) {
      for (let len = 2; len <= maxLength && i + len <= calls.length; len++) {
        const window = calls.slice(i, i + len);
        const tools = window.map((c) => c.tool);
        const key = tools.join("→");
        let entry = counts.get(key);
        if (!entry) counts.set(key, (entry = { tools, frequency: 0, successCount: 0, duration: 0 }));
        entry.frequency++;
        if (window.every((c) => c.ok)) entry.successCount++;
        entry.duration += window.reduce((s, c) => s + c.dur, 0);
      }
    }
  };
  for (const [key, list] of sessions) {
    list.sort((a, b) => a.timestamp - b.timestamp);
    if (key !== "") {
      countSession(list);
      continue;
    }
    let from = 0;
    let end = -Infinity;
    for (let i = 0; i < list.length; i++) {
      if (i > from && list[i]!.timestamp - end > idleGapMs) {
        countSession(list.slice(from, i));
        from = i;
        end = -Infinity;
      }
      end = Math.max(end, list[i]!.timestamp + list[i]!.durationMs);
    }
    countSession(list.slice(from));
  }
  return [...counts.values()]
    .filter((e) => e.frequency >= minFrequency && e.successCount / e.frequency >= minSuccessRate)
    .map((e) => ({ tools: e.tools, frequency: e.frequency, successCount: e.successCount, avgDurationMs: e.duration / e.frequency }))
    .sort(
      (a, b) =>
        b.successCount - a.successCount || b.tools.length - a.tools.length || (a.tools.join("\u0000") < b.tools.join("\u0000") ? -1 : 1),
    );
}
