// Mermaid and DOT text of a workflow graph: structure, and escaping of ids and labels that hold quotes, brackets,
// markup, Graphviz escapes and unicode. The DOT is also rendered with Graphviz (WebAssembly) to prove it parses.
import { describe, expect, it } from "vitest";
import { buildGraph } from "../../../cli/graph/model.js";
import { inlineSvg, renderSvg } from "../../../cli/graph/render-svg.js";
import { escapeMermaid, toMermaid } from "../../../cli/graph/to-mermaid.js";
import { escString, html, toDot } from "../../../cli/graph/to-dot.js";
import { WorkflowTemplate } from "../../../src/model/template.js";

const NASTY = 'say "hi" [x] {y} (z) <b>#1</b> & | `code` ü 日本 🚀 \\N \\" end\\';

const template = new WorkflowTemplate({
  name: 'release "v2" <beta> -->',
  outputs: { url: "{{deploy.url}}" },
  steps: [
    { id: "build", toolName: "docker_build", parameters: { image: "{{image}}" } },
    {
      id: NASTY,
      toolName: "odd|tool",
      parameters: { id: "{{build.imageId}}" },
      dependsOn: ["build"],
      maxRetries: 3,
      retryDelayMs: 250,
      backoff: "exponential",
      timeoutMs: 1500,
    },
    { id: "deploy", toolName: "kubectl_apply", dependsOn: [NASTY] },
    { id: "cleanup", toolName: "cleanup", dependsOn: ["deploy"], condition: "{{deploy.success}} == false" },
    { id: "notify", toolName: "slack", dependsOn: ["deploy"], condition: "{{env}} == 'prod \"x\"' and {{deploy.url}} != null" },
    { id: "backup", toolName: "execute_workflow", parameters: { workflow: "database_backup" }, dependsOn: ["build"] },
  ],
});
const graph = buildGraph(template);

/** Undoes the Mermaid entity codes this renderer writes. */
function unMermaid(text: string): string {
  return text
    .replace(/<br>/g, "\n")
    .replace(
      /#(quot|amp|lt|gt|\d+);/g,
      (_m, code: string) => ({ quot: '"', amp: "&", lt: "<", gt: ">" })[code] ?? String.fromCodePoint(Number(code)),
    );
}

describe("toMermaid", () => {
  const text = toMermaid(graph);
  const lines = text.split("\n");

  it("is a flowchart with one node per step under generated ids, labels quoted", () => {
    expect(lines[0]).toBe("flowchart TD");
    const nodes = lines.filter((l) => /^ {2}s\d+[([]/.test(l));
    expect(nodes).toHaveLength(6);
    for (const line of nodes) expect(line).toMatch(/^ {2}s\d+(\("[^"]*"\)|\[\["[^"]*"\]\])(:::conditional)?$/);
  });

  it("escapes the nasty id so the label decodes back to it", () => {
    const line = lines.find((l) => l.startsWith("  s1("))!;
    const label = /^ {2}s1\("([^"]*)"\)$/.exec(line)![1]!;
    expect(label.replaceAll("<br>", "")).not.toMatch(/[<>"`{}|&]|#(?![a-z0-9]+;)/);
    const [id, tool, notes] = unMermaid(label).split("\n");
    expect(id).toBe(NASTY);
    expect(tool).toBe("odd|tool");
    expect(notes).toBe("3 retries (250 ms exp.) · timeout 1.5 s");
  });

  it("draws data, ordering, failure-handler edges and a sub-workflow distinctly", () => {
    expect(text).toContain("  s0 --> s1\n");
    expect(text).toContain("  s1 -.-> s2\n");
    expect(text).toContain('  s2 -.->|"on failure"| s3\n');
    expect(text).toMatch(/^ {2}s5\[\["backup<br>runs workflow database_backup"\]\]$/m);
    expect(text).toMatch(/^ {2}s3\("cleanup<br>failure handler"\):::conditional$/m);
    // a condition shows without placeholder braces, except inside a string literal
    expect(unMermaid(/^ {2}s4\("([^"]*)"\)/m.exec(text)![1]!)).toBe(`notify\nslack\nif env == 'prod "x"' and deploy.url != null`);
    // linkStyle indexes the edges in order: the failure edge is the 3rd (index 2)
    expect(text).toMatch(/^ {2}linkStyle 2 stroke:#c62828/m);
    expect(text).toMatch(/^ {2}linkStyle 1 stroke:#8a94a3/m);
  });

  it("keeps the workflow name on one comment line", () => {
    const named = toMermaid(buildGraph(new WorkflowTemplate({ name: "two\nlines\u2028x", steps: [{ id: "a", toolName: "t" }] })));
    expect(named.split("\n")[1]).toBe("%% workflow two lines x: drawn by weave graph");
  });

  it("escapeMermaid: entity codes for what would end or reinterpret a label, unicode kept", () => {
    expect(escapeMermaid('a"b#c&d<e>f`g{h}i|j')).toBe("a#quot;b#35;c#amp;d#lt;e#gt;f#96;g#123;h#125;i#124;j");
    expect(escapeMermaid("ü 日本 🚀")).toBe("ü 日本 🚀");
    expect(escapeMermaid("a\nb\tc\u0007")).toBe("a<br>b c ");
  });
});

describe("toDot", () => {
  const dot = toDot(graph);

  it("names nodes s0.. and puts user text only in HTML labels and escaped tooltips", () => {
    expect(dot).toMatch(/^digraph workflow \{/);
    expect(dot).toContain("  s0 -> s1 [");
    expect(dot).toMatch(
      /s2 -> s3 \[style=dashed, penwidth=1.6, color="#c62828", fontcolor="#c62828", label=<on failure>, class="edge-outcome"\]/,
    );
    expect(dot).toMatch(/s1 -> s2 \[style=dotted/);
    expect(dot).toMatch(/s5 \[id="step-5", peripheries=2, style="rounded,filled", class="step sub-workflow"/);
    // the nasty id never appears raw
    expect(dot).not.toContain(NASTY);
    expect(dot).toContain(html(NASTY));
  });

  it("html() and escString()", () => {
    expect(html('<a href="x">&</a>\n')).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt; ");
    expect(html("\\N")).toBe("\\\\N");
    expect(escString('back\\slash "q" \\N\nnext')).toBe('back\\\\\\\\slash \\"q\\" \\\\\\\\N\\nnext');
  });

  it("renders with Graphviz: every label comes back exactly, nothing interpreted", async () => {
    const svg = await renderSvg(dot);
    expect(svg).toMatch(/^<\?xml/);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unXml(m[1]!));
    expect(texts).toContain(NASTY);
    expect(texts).toContain('release "v2" <beta> -->');
    expect(texts).toContain("runs workflow database_backup");
    expect(texts).toContain("on failure");
    // tooltips keep backslashes and quotes
    expect(svg).toContain(`xlink:title="${xml(`${NASTY} (tool odd|tool)`)}`);
    // fonts fall back to other wide sans-serif faces
    expect(svg).toContain("font-family=\"'DejaVu Sans', Verdana");
    const inline = inlineSvg(svg);
    expect(inline).toMatch(/^<svg/);
    expect(inline).not.toContain("<!--");
  });

  it("colours a run's outcomes and marks its critical path", () => {
    const outcomes = new Map([
      ["build", "completed"],
      [NASTY, "completed"],
      ["deploy", "failed"],
      ["cleanup", "completed"],
      ["notify", "skipped"],
    ] as const);
    const text = toDot(graph, { outcomes, criticalPath: ["build", NASTY, "deploy"], title: false });
    expect(text).not.toContain("labelloc");
    expect(text).toMatch(
      /s0 \[id="step-0", fillcolor="#d3f9d8", color="#e8590c", penwidth=2.4, style="rounded,filled", class="step status-completed critical"/,
    );
    expect(text).toMatch(/s2 \[[^\]]*class="step status-failed critical"/);
    expect(text).toMatch(/s4 \[[^\]]*style="rounded,filled,dashed", class="step conditional status-skipped"/);
    expect(text).toMatch(/s5 \[[^\]]*class="step sub-workflow status-not-reached"/);
    expect(text).toMatch(/s1 -> s2 \[[^\]]*class="edge-order critical"/);
    expect(text).toMatch(/s2 -> s3 \[[^\]]*class="edge-outcome"\]/);
  });
});

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function unXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("a map step in the picture", () => {
  const mapped = buildGraph(
    new WorkflowTemplate({
      name: "multi_region",
      inputs: { type: "object", properties: { people: { type: "array", default: ["ada", "alan", "grace"] } } },
      steps: [
        { id: "list", toolName: "list_regions" },
        {
          id: "deploy",
          toolName: "deploy",
          dependsOn: ["list"],
          forEach: "{{list.regions}}",
          as: "region",
          concurrency: 4,
          parameters: { region: "{{region.name}}", slot: "{{index}}" },
          maxRetries: 2,
        },
        { id: "greet", toolName: "echo", forEach: "{{people}}", parameters: { text: "hi {{item}}" }, condition: "{{item}} != 'alan'" },
        { id: "pinned", toolName: "echo", forEach: "{{three}}", parameters: { text: "{{item}}" } },
      ],
    }),
  );
  // `three` is not in the schema above: pin it in one of its own
  const pinned = buildGraph(
    new WorkflowTemplate({
      name: "p",
      inputs: { type: "object", properties: { three: { type: "array", const: [1, 2, 3] } } },
      steps: [{ id: "pinned", toolName: "echo", forEach: "{{three}}", parameters: { text: "{{item}}" } }],
    }),
  );

  it("Mermaid: a hexagon, with the list it runs over and how many at a time", () => {
    const lines = toMermaid(mapped).split("\n");
    expect(lines.filter((l) => /^ {2}s\d/.test(l) && !l.includes("-"))).toEqual([
      '  s0("list<br>list_regions")',
      '  s1{{"deploy<br>× each of list.regions<br>2 retries (1 s) · 4 at a time"}}',
      "  s2{{\"greet<br>echo<br>× each of people (3 by default)<br>if item != 'alan'\"}}:::conditional",
      '  s3{{"pinned<br>echo<br>× each of three"}}',
    ]);
    expect(lines).toContain("  s0 --> s1");
    expect(toMermaid(pinned)).toContain('  s0{{"pinned<br>echo<br>× 3, each of three"}}\n');
  });

  it("DOT: a stack of boxes (box3d, which has no rounded corners), the list read like a parameter", () => {
    const dot = toDot(mapped);
    expect(dot).toContain(
      '  s1 [id="step-1", shape=box3d, style="filled", class="step map", label=<<B>deploy</B><BR/><FONT POINT-SIZE="10" COLOR="#52606d">× each of list.regions</FONT><BR/><FONT POINT-SIZE="10" COLOR="#52606d">2 retries (1 s) · 4 at a time</FONT>>, tooltip="deploy (tool deploy)\\nfor each region of {{list.regions}}\\n2 retries (1 s)\\n4 at a time"];',
    );
    expect(dot).toMatch(/^ {2}s2 \[id="step-2", shape=box3d, style="filled,dashed", class="step map conditional"/m);
    expect(dot).toContain('  s0 -> s1 [tooltip="deploy reads list.regions", class="edge-data"];');
    expect(dot).toContain('  s0 [id="step-0", style="rounded,filled", class="step"');
    // coloured by a run's outcome, still a stack
    expect(toDot(mapped, { outcomes: new Map([["deploy", "failed"]]) })).toMatch(
      /^ {2}s1 \[id="step-1", fillcolor="#ffe3e3", color="#c92a2a", shape=box3d, style="filled", class="step map status-failed"/m,
    );
  });

  it("renders with Graphviz", async () => {
    const svg = await renderSvg(toDot(mapped));
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unXml(m[1]!));
    expect(texts).toEqual(expect.arrayContaining(["× each of list.regions", "× each of people (3 by default)"]));
  });
});
