// The run report page, built from a real run's events (no CLI): structure, self-containment, and escaping of
// whatever the user or a tool wrote (step ids, errors, outputs).
import { describe, expect, it } from "vitest";
import { WorkflowContext } from "../../../src/executor/context.js";
import { NonRetryableError } from "../../../src/executor/errors.js";
import { WorkflowExecutor } from "../../../src/executor/executor.js";
import type { ExecutionEvent, ExecutionResult } from "../../../src/executor/types.js";
import { WorkflowTemplate } from "../../../src/model/template.js";
import { escapeHtml } from "../../../cli/report/escape.js";
import { MAX_ITEM_ROWS } from "../../../cli/report/gantt-rows.js";
import { renderRunReport } from "../../../cli/report/run-report.js";

const EVIL_ERROR = `</script><img src=x onerror="alert('pwned')"><script>alert(1)</script>`;
const EVIL_ID = `<svg onload=alert(1)> "quoted" & ü`;

async function run(
  template: WorkflowTemplate,
  tools: Record<string, (p: Record<string, unknown>, c: { attempt: number }) => unknown>,
): Promise<{ events: ExecutionEvent[]; result: ExecutionResult }> {
  const events: ExecutionEvent[] = [];
  const result = await new WorkflowExecutor({ tools, random: () => 0.5 }).execute(template, new WorkflowContext({}), undefined, {
    onEvent: (e) => events.push(e),
  });
  return { events, result };
}

const template = new WorkflowTemplate({
  name: "evil <workflow>",
  description: "a description with <b>markup</b>",
  outputs: { echoed: "{{flaky.value}}" },
  steps: [
    { id: "flaky", toolName: "flaky", maxRetries: 2, retryDelayMs: 5 },
    { id: EVIL_ID, toolName: "boom", dependsOn: ["flaky"] },
    { id: "after", toolName: "ok", dependsOn: [EVIL_ID] },
    { id: "migrate", toolName: "boom", dependsOn: ["flaky"] },
    { id: "cleanup", toolName: "ok", dependsOn: ["migrate"], condition: "{{migrate.success}} == false" },
    { id: "always", toolName: "ok", dependsOn: ["migrate"], condition: "{{migrate.success}} != null" },
  ],
});

describe("renderRunReport", async () => {
  const { events, result } = await run(template, {
    flaky: (_p, { attempt }) => {
      if (attempt < 3) throw new Error(`attempt ${attempt} <failed>`);
      return { value: "</pre><script>alert('output')</script>" };
    },
    boom: () => {
      throw new NonRetryableError(EVIL_ERROR);
    },
    ok: () => ({}),
  });
  const html = await renderRunReport({
    template,
    events,
    result,
    startedAt: new Date("2026-01-02T03:04:05Z"),
    generator: "toolweave test",
  });

  it("the run behaved as the test expects", () => {
    expect(result.status).toBe("failed");
    expect(result.failedSteps.map((s) => s.id).sort()).toEqual([EVIL_ID, "migrate"].sort());
  });

  it("is one self-contained page: no script, no external URL, a CSP that forbids both", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<link|@import|url\((?!#)/i);
    // the only URLs are XML namespace names, which nothing fetches
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]));
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
  });

  it("escapes step ids, errors, names, descriptions and outputs", () => {
    expect(html).toContain(escapeHtml(EVIL_ERROR));
    expect(html).toContain("&lt;/script&gt;&lt;img src=x onerror=&quot;alert(&#39;pwned&#39;)&quot;&gt;");
    expect(html).toContain(`<td class="step-id">${escapeHtml(EVIL_ID)}</td>`);
    expect(html).toContain("<title>evil &lt;workflow&gt;: failed · weave run report</title>");
    expect(html).toContain("a description with &lt;b&gt;markup&lt;/b&gt;");
    expect(html).toContain("&lt;/pre&gt;&lt;script&gt;alert(&#39;output&#39;)&lt;/script&gt;");
    expect(html).toContain(escapeHtml("attempt 1 <failed>"));
    // no raw `<svg onload` anywhere: every <svg is one of the page's own (the DAG and the timeline)
    expect(html.match(/<svg[\s>]/g)).toHaveLength(2);
    expect(html).not.toMatch(/<svg onload/);
  });

  it("header: status, duration, speedup, counts, start", () => {
    expect(html).toContain('<span class="badge badge-failed">failed</span>');
    expect(html).toMatch(/<dt>Duration<\/dt><dd>\d+ ms<\/dd>/);
    expect(html).toMatch(/<dt>Parallel speedup<\/dt><dd>\d+\.\d×<\/dd>/);
    expect(html).toContain('<span class="count count-not-reached zero"><i class="dot dot-not-reached"></i>0 not reached</span>');
    expect(html).toContain("</i>3 completed</span>");
    expect(html).toContain("</i>2 failed</span>");
    expect(html).toContain("</i>1 skipped</span>");
    expect(html).toContain("<dt>Started</dt><dd>2026-01-02 03:04:05 UTC</dd>");
    expect(html).toContain(`<p class="run-error">${escapeHtml(result.error!)}</p>`);
  });

  it("the DAG: a node per step with its outcome class, the critical path marked", () => {
    // Graphviz writes "-" in ids and classes as &#45; (the same character, to a browser)
    const svg = html.replaceAll("&#45;", "-");
    const nodes = new Map([...svg.matchAll(/<g id="step-(\d+)" class="node ([^"]*)"/g)].map((m) => [Number(m[1]), m[2]!.split(" ")]));
    expect(nodes.size).toBe(6);
    expect(nodes.get(0)).toEqual(expect.arrayContaining(["step", "status-completed"]));
    expect(nodes.get(1)).toEqual(expect.arrayContaining(["status-failed"]));
    expect(nodes.get(2)).toContain("status-skipped");
    expect(nodes.get(3)).toEqual(expect.arrayContaining(["status-failed"]));
    expect(nodes.get(4)).toEqual(expect.arrayContaining(["status-completed", "conditional"]));
    // flaky -> migrate -> (cleanup or always, whichever finished last)
    const critical = [...nodes].filter(([, c]) => c.includes("critical")).map(([i]) => i);
    expect(critical.slice(0, 2)).toEqual([0, 3]);
    expect(critical).toHaveLength(3);
    expect(svg.match(/class="edge edge-\w+ critical"/g)).toHaveLength(2);
  });

  it("the timeline: one bar per attempt, retried attempts and waits marked, the critical path joined", () => {
    const bars = [...html.matchAll(/<rect class="attempt attempt-(\w+)" data-attempt="(\d)"/g)].map((m) => `${m[1]}#${m[2]}`);
    // flaky: 3 attempts (2 retried); EVIL and migrate: 1 failed each (NonRetryableError); cleanup and always: 1 each
    expect(bars.sort()).toEqual(["completed#1", "completed#1", "completed#3", "failed#1", "failed#1", "retried#1", "retried#2"].sort());
    expect(html.match(/<line class="retry-delay"/g)).toHaveLength(2);
    expect(html).toMatch(/<g class="step-row status-skipped" data-step="after">/);
    expect(html).toContain(`<g class="step-row status-failed" data-step="${escapeHtml(EVIL_ID)}">`);
    expect(html).toContain('<g class="step-row status-failed critical" data-step="migrate">');
    expect(html).toMatch(
      /<ol class="critical-path"><li class="status-completed">flaky <small>\d+ ms<\/small><\/li><li class="status-failed">migrate <small>/,
    );
    expect(html).toContain('<path class="critical-link"');
  });

  it("the steps table lists every step with attempts and the earlier failures of a retried one", () => {
    expect(html.match(/<tr class="status-/g)).toHaveLength(6);
    expect(html).toMatch(
      /<td class="step-id">flaky<\/td><td class="tool">flaky<\/td><td><span class="pill pill-completed">completed<\/span><\/td>\n<td class="num">3<\/td>/,
    );
    expect(html).toContain("<summary>2 failed attempts before</summary>");
    expect(html).toContain(`dependency &quot;${escapeHtml(EVIL_ID).replace(/&quot;/g, "&quot;")}&quot; failed`);
  });
});

describe("renderRunReport of a cancelled run", () => {
  it("shows the cancelled status and why", async () => {
    const bounded = new WorkflowTemplate({
      name: "bounded",
      timeoutMs: 30,
      steps: [
        { id: "wait", toolName: "wait" },
        { id: "next", toolName: "ok", dependsOn: ["wait"] },
      ],
    });
    const events: ExecutionEvent[] = [];
    const wait = (_p: Record<string, unknown>, c: { signal: AbortSignal }) =>
      new Promise((_r, reject) => c.signal.addEventListener("abort", () => reject(c.signal.reason), { once: true }));
    const result = await new WorkflowExecutor({ tools: { wait, ok: () => ({}) } }).execute(bounded, new WorkflowContext({}), undefined, {
      onEvent: (e) => events.push(e),
    });
    expect(result.status).toBe("cancelled");
    const html = await renderRunReport({ template: bounded, events, result, generator: "toolweave test" });
    expect(html).toContain('<span class="badge badge-cancelled">cancelled</span>');
    expect(html).toContain(escapeHtml('workflow "bounded" timed out after 30 ms'));
  });
});

describe("renderRunReport of a run with a map step", async () => {
  const mapped = new WorkflowTemplate({
    name: "multi_region",
    steps: [
      { id: "list", toolName: "list" },
      {
        id: "deploy",
        toolName: "deploy",
        dependsOn: ["list"],
        forEach: "{{list.regions}}",
        as: "region",
        concurrency: 2,
        condition: "{{region}} != 'skip'",
        parameters: { region: "{{region}}" },
        maxRetries: 1,
        retryDelayMs: 1,
      },
      { id: "report", toolName: "ok", dependsOn: ["deploy"], parameters: { all: "{{deploy}}" } },
    ],
  });
  const tools = (regions: string[]) => ({
    list: () => ({ regions }),
    deploy: (p: Record<string, unknown>, { attempt }: { attempt: number }) => {
      if (p.region === "broken" || (p.region === "flaky" && attempt === 1)) throw new Error(`${p.region as string} <503>`);
      return { url: `https://${p.region as string}.example` };
    },
    ok: () => ({}),
  });
  const { events, result } = await run(mapped, tools(["eu", "flaky", "broken", "skip"]));
  const html = await renderRunReport({ template: mapped, events, result });
  const itemRows = (page: string) =>
    [...page.matchAll(/<g class="item-row status-(\w+)" data-step="deploy" data-item="(\d+)">/g)].map((m) => `${m[2]}:${m[1]}`);

  it("the step's row spans its items; each item has a row of its own under it, labelled deploy[i]", () => {
    expect(result.status).toBe("failed");
    expect(html).toContain('<g class="step-row status-failed map-step critical" data-step="deploy">');
    expect(html).toMatch(
      /<rect class="map-span map-span-failed" [^>]*><title>deploy, 4 items: 2 completed, 1 failed, 1 skipped; from the first item/,
    );
    expect(itemRows(html)).toEqual(["0:completed", "1:completed", "2:failed", "3:skipped"]);
    expect(html).toContain('<text class="item-label" x="26" y="');
    expect(html).toContain(">deploy[1]<title>deploy[1] (deploy)</title></text>");
    // the rows come in order: the step, then its items, then the next step
    const order = [...html.matchAll(/<g class="(step-row|item-row)[^"]*" data-step="(\w+)"(?: data-item="(\d)")?/g)].map(
      (m) => m[3] ?? m[2],
    );
    expect(order).toEqual(["list", "deploy", "0", "1", "2", "3", "report"]);
  });

  it("an item's attempts are bars on its row: retried, failed, and its note says how it went", () => {
    const row = (i: number) => html.slice(html.indexOf(`data-item="${i}">`), html.indexOf("</g>", html.indexOf(`data-item="${i}">`)));
    const bars = (i: number) =>
      [...row(i).matchAll(/<rect class="attempt attempt-(\w+)" data-attempt="(\d)"/g)].map((m) => `${m[1]}#${m[2]}`);
    expect(bars(1)).toEqual(["retried#1", "completed#2"]);
    expect(bars(2)).toEqual(["retried#1", "failed#2"]);
    expect(row(1)).toContain("<title>deploy[1], attempt 1: failed after ");
    expect(row(2)).toContain(`2 attempts · failed: ${escapeHtml("broken <503>")}`);
    expect(row(3)).toContain('<path class="skip-mark"');
    expect(row(3)).toContain("skipped: the step&#39;s condition is false for it");
  });

  it("the steps table counts the items' attempts, says how the items went, and lists the retried ones", () => {
    expect(html).toMatch(/<td class="step-id">deploy<\/td>.*\n<td class="num">5<\/td>/);
    expect(html).toContain(
      `<td class="detail">4 items: 2 completed, 1 failed, 1 skipped\n${escapeHtml("item 2 of 4 failed: broken <503>")}<details><summary>2 failed item attempts, retried</summary><ul><li>deploy[1] attempt 1: flaky &lt;503&gt;</li><li>deploy[2] attempt 1: broken &lt;503&gt;</li></ul></details></td>`,
    );
  });

  it("the legend explains a map step's rows only when the run has one", () => {
    expect(html).toContain('<i class="bar bar-map"></i>map step, first item to last; its items below it');
    expect(html.match(/<svg[\s>]/g)).toHaveLength(2);
  });

  it(`a long list: at most ${MAX_ITEM_ROWS} item rows, those that went wrong among them, and a row counting the rest`, async () => {
    const regions = Array.from({ length: 100 }, (_, i) => (i === 70 ? "broken" : i === 80 ? "skip" : `r${i}`));
    const long = await run(mapped, tools(regions));
    const page = await renderRunReport({ template: mapped, events: long.events, result: long.result });
    const rows = itemRows(page);
    expect(rows).toHaveLength(MAX_ITEM_ROWS);
    expect(rows.at(-1)).toBe("70:failed");
    expect(rows.slice(0, 2)).toEqual(["0:completed", "1:completed"]);
    expect(page).toContain(">… 70 more items of deploy, not drawn: 69 completed, 1 skipped<title>");
  });
});

describe("renderRunReport of a run without a map step", () => {
  it("has no map legend, no item rows", async () => {
    const plain = new WorkflowTemplate({ name: "p", steps: [{ id: "a", toolName: "ok" }] });
    const { events, result } = await run(plain, { ok: () => ({}) });
    const html = await renderRunReport({ template: plain, events, result });
    expect(html).not.toContain('bar-map"></i>');
    expect(html).not.toContain('class="item-row');
  });
});
