/**
 * Figures on what `weave mine` reports and suggests by default, for judging its defaults on real logs (issue 13):
 * per log, how many patterns the table shows, how many rows of its top 20 repeat a longer row (a sub-sequence seen
 * exactly as often as a longer pattern that contains it), and over the workflows suggested from the top 20: the
 * data-flow references, those that point at a step that only echoed the value it was given (in any sampled
 * occurrence), and the observed orders lost (a step that no longer waits for the call just before it although that
 * call ended before it started in every sampled occurrence). With --all, every sequence (not only closed ones);
 * with --parallel, the suggestions with maximal parallelism.
 *
 *   npx tsx scripts/mining-figures.ts [--all] [--parallel] [log.jsonl...]
 */
import { readToolCallLog } from "../src/monitor/read-log.js";
import { PatternMiner, planWorkflow, type ToolSequence } from "../src/patterns/index.js";
import type { WorkflowTemplate } from "../src/model/template.js";

const args = process.argv.slice(2);
const all = args.includes("--all");
const parallel = args.includes("--parallel");
const files = args.filter((a) => !a.startsWith("--"));
const logs =
  files.length > 0
    ? files
    : ["examples/logs/tool-calls.jsonl", "test/fixtures/logs/original-system.jsonl", "test/fixtures/logs/other-program.jsonl"];

const contains = (long: readonly string[], short: readonly string[]): boolean => {
  for (let i = 0; i + short.length <= long.length; i++) if (short.every((t, k) => long[i + k] === t)) return true;
  return false;
};

/** Whether any leaf of `value` equals `leaf`. */
function hasLeaf(value: unknown, leaf: unknown): boolean {
  if (value === leaf) return true;
  if (Array.isArray(value)) return value.some((v) => hasLeaf(v, leaf));
  if (value !== null && typeof value === "object") return Object.values(value).some((v) => hasLeaf(v, leaf));
  return false;
}

function reaches(template: WorkflowTemplate, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === from) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(template.getStep(id)?.dependsOn ?? []));
  }
  return false;
}

for (const file of logs) {
  const { records } = await readToolCallLog(file);
  const miner = new PatternMiner({ sampleSize: 20, ...(all ? { closed: false } : {}) });
  for (const r of records) miner.add(r);
  const patterns = miner.result();
  const top = patterns.slice(0, 20);
  const repeats = top.filter((p) =>
    patterns.some((q) => q.tools.length > p.tools.length && q.frequency === p.frequency && contains(q.tools, p.tools)),
  ).length;
  let refs = 0;
  let echoRefs = 0;
  let lostOrders = 0;
  let overlapping = 0;
  const names = new Set<string>();
  for (const p of top as ToolSequence[]) {
    const plan = planWorkflow(p, parallel ? { parallel } : {});
    names.add(plan.template.name);
    const ok = p.samples.filter((s) => s.calls.every((c) => c.success));
    const samples = ok.length > 0 ? ok : p.samples;
    plan.template.steps.forEach((step, j) => {
      if (j > 0) {
        const before = samples.every((s) => s.calls[j - 1]!.timestamp + s.calls[j - 1]!.durationMs <= s.calls[j]!.timestamp + 1);
        if (!before) overlapping++;
        else if (!reaches(plan.template, plan.template.steps[j - 1]!.id, step.id)) lostOrders++;
      }
      for (const m of JSON.stringify(step.parameters).matchAll(/\{\{([A-Za-z_$][\w$-]*)\.([^}]+)\}\}/g)) {
        const k = plan.template.steps.findIndex((s) => s.id === m[1]);
        if (k < 0) continue;
        refs++;
        const echoed = samples.some((sample) => {
          const call = sample.calls[k];
          const value = m[2]!
            .split(".")
            .reduce<unknown>((v, f) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[f] : undefined), call?.result);
          return value !== undefined && hasLeaf(call?.parameters, value);
        });
        if (echoed) echoRefs++;
      }
    });
  }
  console.log(
    `${file}: ${patterns.length} patterns; top ${top.length}: ${repeats} repeat a longer row; ${names.size} distinct suggested names; ` +
      `${refs} references, ${echoRefs} to a step that echoed the value; ${lostOrders} observed orders lost (${overlapping} pairs of calls that overlapped)`,
  );
}
