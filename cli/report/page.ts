/**
 * @module The run report: one self-contained HTML page (inline CSS and SVG; no scripts, no external URLs, and a
 * Content-Security-Policy that forbids both) with the run's header, its DAG coloured by outcome, the timeline of
 * every attempt with the critical path, and a table of steps. Built from plain data, so it is testable without a run.
 */
import { formatMs } from "../graph/labels.js";
import type { ExecutionStatus } from "../../src/executor/types.js";
import type { StepOutcome } from "../graph/to-dot.js";
import { escapeHtml as esc } from "./escape.js";
import { renderGantt } from "./gantt.js";
import { itemsSummary } from "./item-timeline.js";
import type { RunTimeline, StepTimeline } from "./timeline.js";

/** Retried attempts of a map step's items listed in its row of the steps table; the rest are counted. */
const MAX_ITEM_RETRIES_LISTED = 20;

export interface ReportPage {
  readonly workflow: string;
  readonly description: string;
  readonly status: ExecutionStatus;
  /** What failed first, for a failed run; why it stopped, for a cancelled one. */
  readonly error?: string;
  readonly parallelSpeedup: number;
  readonly startedAt?: Date;
  readonly timeline: RunTimeline;
  readonly criticalPath: readonly string[];
  /** The DAG as an `<svg>` element (already escaped by its renderer). */
  readonly dagSvg: string;
  readonly outputs?: Record<string, unknown>;
  /** `toolweave 0.1.0` in the footer. */
  readonly generator?: string;
}

const STATUS_WORDS: Record<StepOutcome, string> = {
  completed: "completed",
  failed: "failed",
  skipped: "skipped",
  "not-reached": "not reached",
};

export function buildReportPage(page: ReportPage): string {
  const { timeline } = page;
  const counts = countOutcomes(timeline.steps);
  const title = `${page.workflow}: ${page.status}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · weave run report</title>
<style>${CSS}</style>
</head>
<body>
<main>
${header(page, counts)}
<section id="graph">
<h2>Graph</h2>
${graphLegend()}
<div class="dag">${page.dagSvg}</div>
</section>
<section id="timeline">
<h2>Timeline</h2>
${criticalSummary(page)}
${timelineLegend(timeline.steps.some((s) => s.items !== undefined))}
<div class="gantt">${renderGantt(timeline, page.criticalPath)}</div>
</section>
<section id="steps">
<h2>Steps</h2>
${stepsTable(timeline, page.criticalPath)}
</section>
${outputsSection(page.outputs)}
<footer>Written by <code>weave run --report</code>${page.generator ? ` (${esc(page.generator)})` : ""}. Run ${esc(timeline.runId)}.</footer>
</main>
</body>
</html>
`;
}

function header(page: ReportPage, counts: Record<StepOutcome, number>): string {
  const facts: [string, string][] = [
    ["Duration", esc(formatMs(page.timeline.durationMs))],
    ["Parallel speedup", `${esc(page.parallelSpeedup.toFixed(1))}×`],
    [
      "Steps",
      (Object.keys(STATUS_WORDS) as StepOutcome[])
        .map(
          (s) =>
            `<span class="count count-${s}${counts[s] === 0 ? " zero" : ""}"><i class="dot dot-${s}"></i>${counts[s]} ${STATUS_WORDS[s]}</span>`,
        )
        .join(" "),
    ],
  ];
  if (page.startedAt) facts.push(["Started", esc(formatDate(page.startedAt))]);
  return `<header class="run-header status-${page.status}">
<h1><span class="workflow-name">${esc(page.workflow)}</span> <span class="badge badge-${page.status}">${page.status}</span></h1>
${page.description ? `<p class="description">${esc(page.description)}</p>` : ""}
<dl class="facts">${facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("")}</dl>
${page.error ? `<p class="run-error">${esc(page.error)}</p>` : ""}
</header>`;
}

function criticalSummary(page: ReportPage): string {
  if (page.criticalPath.length === 0) return "";
  const steps = page.criticalPath.map((id) => page.timeline.steps.find((s) => s.id === id)!);
  const busy = steps.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  const items = steps.map(
    (s) =>
      `<li class="status-${s.status}">${esc(s.id)}${s.durationMs === undefined ? ` <small>${STATUS_WORDS[s.status]}</small>` : ` <small>${esc(formatMs(s.durationMs))}</small>`}</li>`,
  );
  return `<div class="critical-summary"><span class="critical-title">Critical path</span> <ol class="critical-path">${items.join("")}</ol> <span class="critical-share">the chain that set the run's ${esc(formatMs(page.timeline.durationMs))}: ${esc(formatMs(busy))} in these steps, retry waits included</span></div>`;
}

function graphLegend(): string {
  return `<ul class="legend">
<li><i class="swatch swatch-completed"></i>completed</li><li><i class="swatch swatch-failed"></i>failed</li><li><i class="swatch swatch-skipped"></i>skipped</li><li><i class="swatch swatch-not-reached"></i>not reached</li><li><i class="swatch swatch-critical"></i>critical path</li>
<li><i class="line line-data"></i>reads results</li><li><i class="line line-order"></i>only waits</li><li><i class="line line-failure"></i>on failure</li><li><i class="line line-always"></i>always</li>
</ul>`;
}

/** @param maps the run has a map step: its bar and its item rows are explained too */
function timelineLegend(maps: boolean): string {
  const map = maps ? `<li><i class="bar bar-map"></i>map step, first item to last; its items below it</li>` : "";
  return `<ul class="legend">
<li><i class="bar bar-completed"></i>attempt completed</li><li><i class="bar bar-retried"></i>attempt failed, retried</li><li><i class="bar bar-failed"></i>attempt failed</li><li><i class="line line-wait"></i>wait before retry</li><li><i class="diamond"></i>skipped</li><li><i class="swatch swatch-critical"></i>critical path</li>${map}
</ul>`;
}

function stepsTable(timeline: RunTimeline, criticalPath: readonly string[]): string {
  const critical = new Set(criticalPath);
  const rows = timeline.steps.map((s) => {
    const outcome =
      s.error ??
      (s.status === "skipped" ? s.reason : undefined) ??
      (s.restored ? "restored from the run's journal (completed in an earlier session)" : "");
    // a map step: how its items went, above its error
    const detail = s.itemCount === undefined ? outcome : [itemsSummary(s.items ?? [], s.itemCount), outcome].filter(Boolean).join("\n");
    const attempts = s.attempts.filter((a) => a.error !== undefined && a.outcome === "failed" && a.retryDelayMs !== undefined);
    const earlier =
      s.items !== undefined
        ? itemRetries(s)
        : attempts.length === 0
          ? ""
          : `<details><summary>${attempts.length} failed attempt${attempts.length === 1 ? "" : "s"} before</summary><ol>${attempts.map((a) => `<li value="${a.attempt}">${esc(a.error!)}</li>`).join("")}</ol></details>`;
    return `<tr class="status-${s.status}${critical.has(s.id) ? " critical" : ""}">
<td class="step-id">${esc(s.id)}</td><td class="tool">${esc(s.toolName)}</td><td><span class="pill pill-${s.status}">${STATUS_WORDS[s.status]}</span></td>
<td class="num">${s.items === undefined ? s.attempts.length : s.items.reduce((n, i) => n + i.attempts.length, 0)}</td><td class="num">${s.start === undefined ? "" : esc(`+${formatMs(s.start)}`)}</td><td class="num">${s.durationMs === undefined ? "" : esc(formatMs(s.durationMs))}</td>
<td class="detail">${esc(detail)}${earlier}</td></tr>`;
  });
  return `<div class="table-wrap"><table class="steps">
<thead><tr><th>step</th><th>tool</th><th>status</th><th class="num">attempts</th><th class="num">started</th><th class="num">duration</th><th>error / reason</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table></div>`;
}

/** A map step's retried item attempts, the first {@link MAX_ITEM_RETRIES_LISTED}: `deploy[2] attempt 1: HTTP 503`. */
function itemRetries(step: StepTimeline): string {
  const retried = (step.items ?? []).flatMap((item) =>
    item.attempts.filter((a) => a.error !== undefined && a.retryDelayMs !== undefined).map((a) => ({ item: item.index, ...a })),
  );
  if (retried.length === 0) return "";
  const listed = retried.slice(0, MAX_ITEM_RETRIES_LISTED);
  const more = retried.length - listed.length;
  const rows = listed.map((a) => `<li>${esc(`${step.id}[${a.item}] attempt ${a.attempt}: ${a.error!}`)}</li>`);
  if (more > 0) rows.push(`<li>… and ${more} more</li>`);
  return `<details><summary>${retried.length} failed item attempt${retried.length === 1 ? "" : "s"}, retried</summary><ul>${rows.join("")}</ul></details>`;
}

function outputsSection(outputs: Record<string, unknown> | undefined): string {
  if (!outputs || Object.keys(outputs).length === 0) return "";
  return `<section id="outputs"><details><summary>Outputs</summary><pre>${esc(JSON.stringify(outputs, null, 2))}</pre></details></section>`;
}

function countOutcomes(steps: readonly StepTimeline[]): Record<StepOutcome, number> {
  const counts: Record<StepOutcome, number> = { completed: 0, failed: 0, skipped: 0, "not-reached": 0 };
  for (const s of steps) counts[s.status]++;
  return counts;
}

/** `2026-11-24 22:30:01 UTC`. */
function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

const CSS = `
:root{--ink:#212529;--muted:#6c757d;--line:#dee2e6;--ok:#2b8a3e;--ok-bg:#d3f9d8;--bad:#c92a2a;--bad-bg:#ffe3e3;--skip:#868e96;--skip-bg:#f1f3f5;--crit:#e8590c;--crit-bg:#fff4e6}
*{box-sizing:border-box}
body{margin:0;background:#f8f9fa;color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Helvetica,Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px}
section,.run-header{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-bottom:16px}
h1{font-size:22px;margin:0 0 4px;display:flex;align-items:center;gap:10px;flex-wrap:wrap}
h2{font-size:16px;margin:0 0 10px}
.workflow-name{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;word-break:break-all}
.badge{font-size:13px;font-weight:600;padding:2px 10px;border-radius:999px;text-transform:uppercase;letter-spacing:.04em}
.badge-completed{background:var(--ok-bg);color:var(--ok)}.badge-failed{background:var(--bad-bg);color:var(--bad)}.badge-cancelled{background:var(--skip-bg);color:var(--ink)}
.run-header.status-completed{border-top:4px solid var(--ok)}.run-header.status-failed{border-top:4px solid var(--bad)}.run-header.status-cancelled{border-top:4px solid var(--skip)}
.description{margin:0 0 10px;color:var(--muted)}
.facts{display:flex;flex-wrap:wrap;gap:8px 32px;margin:8px 0 0}
.facts div{min-width:120px}.facts dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}.facts dd{margin:0;font-size:16px;font-weight:600}
.count{font-weight:500;font-size:14px;margin-right:12px;white-space:nowrap}.count.zero{opacity:.45}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px;vertical-align:1px}
.dot-completed{background:var(--ok)}.dot-failed{background:var(--bad)}.dot-skipped{background:var(--skip)}.dot-not-reached{background:#fff;border:1px solid var(--skip)}
.run-error{margin:12px 0 0;padding:8px 12px;background:var(--bad-bg);color:var(--bad);border-radius:6px;font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:13px;white-space:pre-wrap;word-break:break-word}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:0 0 10px;font-size:12px;color:var(--muted)}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:16px;height:12px;border-radius:3px;border:1.5px solid}
.swatch-completed{background:var(--ok-bg);border-color:var(--ok)}.swatch-failed{background:var(--bad-bg);border-color:var(--bad)}.swatch-skipped{background:var(--skip-bg);border-color:var(--skip);border-style:dashed}.swatch-not-reached{background:#fff;border-color:#adb5bd;border-style:dotted}.swatch-critical{background:var(--crit-bg);border-color:var(--crit);border-width:2.5px}
.line{display:inline-block;width:26px;height:0;border-top:2px solid #5f6b7a}
.line-order{border-top:2px dotted #8a94a3}.line-failure{border-top:2px dashed #c62828}.line-always{border-top:2px dashed #6a4fb3}.line-wait{border-top:2px dashed #868e96}
.bar{display:inline-block;width:22px;height:10px;border-radius:2px;border:1px solid}
.bar-completed{background:#51cf66;border-color:#2b8a3e}.bar-failed{background:#fa5252;border-color:#c92a2a}.bar-retried{border-color:#e03131;background:repeating-linear-gradient(45deg,#f03e3e 0 2px,#ffe3e3 2px 5px)}
.diamond{display:inline-block;width:9px;height:9px;background:#adb5bd;transform:rotate(45deg)}
.dag,.gantt{overflow-x:auto}
.dag svg{display:block;margin:0 auto;max-width:100%;height:auto}
.gantt svg{display:block;max-width:100%;height:auto}
.critical-summary{margin:0 0 10px;font-size:13px;display:flex;flex-wrap:wrap;align-items:baseline;gap:6px}
.critical-title{font-weight:600;color:var(--crit)}
.critical-path{list-style:none;display:inline-flex;flex-wrap:wrap;padding:0;margin:0;gap:4px}
.critical-path li{background:var(--crit-bg);border:1px solid #ffc078;border-radius:4px;padding:0 6px;font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:12px}
.critical-path li+li::before{content:"→";margin:0 6px 0 -2px;color:var(--crit)}
.critical-path small{color:var(--muted)}
.critical-share{color:var(--muted);font-size:12px}
.timeline text{font-family:inherit}
.timeline .row-bg.even{fill:#fff}.timeline .row-bg.odd{fill:#f8f9fa}
.timeline .grid{stroke:#e9ecef}.timeline .tick{font-size:11px;fill:var(--muted)}
.timeline .run-end{stroke:#495057;stroke-dasharray:3 3}
.timeline .label{font-size:12px;fill:var(--ink);font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace}
.timeline .step-row.critical .label{font-weight:700}
.timeline .critical-mark{fill:var(--crit)}
.timeline .attempt-completed{fill:#51cf66;stroke:#2b8a3e}
.timeline .attempt-failed{fill:#fa5252;stroke:#c92a2a}
.timeline .attempt-retried{fill:url(#retried-hatch);stroke:#e03131}
.timeline .critical-span{stroke:var(--crit);stroke-width:3;stroke-linecap:round}
.timeline .attempt-number{font-size:10px;font-weight:700;fill:#212529}
.timeline .retry-delay{stroke:#868e96;stroke-width:1.5;stroke-dasharray:4 3}
.timeline .delay-label{font-size:10px;fill:var(--muted)}
.timeline .skip-mark{fill:#adb5bd}.timeline .fail-mark{fill:#fa5252;stroke:#c92a2a}
.timeline .row-note{font-size:11px;fill:#495057}
.timeline .note-skipped,.timeline .note-not-reached{fill:var(--muted);font-style:italic}
.timeline .note-failed{fill:var(--bad)}
.timeline .critical-link{stroke:var(--crit);stroke-width:1.5;stroke-dasharray:2 3;fill:none}
.timeline .map-span-completed{fill:#d3f9d8;stroke:#2b8a3e}.timeline .map-span-failed{fill:#ffe3e3;stroke:#c92a2a}
.timeline .item-label{font-size:11px;fill:#495057;font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace}
.timeline .note-stopped,.timeline .items-more .row-note{fill:var(--muted);font-style:italic}
.bar-map{background:#d3f9d8;border-color:#2b8a3e}
table.steps{width:100%;border-collapse:collapse;font-size:13px}
.steps th{text-align:left;font-size:12px;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line);padding:6px 8px}
.steps td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}
.steps .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
.steps .step-id,.steps .tool{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:12px;overflow-wrap:break-word}
.steps tr.critical .step-id{box-shadow:inset 3px 0 0 var(--crit);font-weight:700}
.steps .detail{white-space:pre-wrap;overflow-wrap:anywhere;min-width:240px}
.steps tr.status-failed .detail{color:var(--bad)}
.steps tr.status-skipped .detail,.steps tr.status-not-reached .detail{color:var(--muted)}
.steps details{margin-top:4px;color:var(--muted)}.steps details ol,.steps details ul{margin:4px 0;padding-left:22px}
.pill{font-size:12px;padding:1px 8px;border-radius:999px;white-space:nowrap}
.pill-completed{background:var(--ok-bg);color:var(--ok)}.pill-failed{background:var(--bad-bg);color:var(--bad)}.pill-skipped{background:var(--skip-bg);color:#495057}.pill-not-reached{border:1px dotted var(--skip);color:var(--muted)}
#outputs pre{background:#f8f9fa;padding:10px;border-radius:6px;overflow-x:auto;font-size:12px}
summary{cursor:pointer}
footer{color:var(--muted);font-size:12px;text-align:center;padding:8px}
`;
