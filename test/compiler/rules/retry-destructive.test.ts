import { describe, expect, it } from "vitest";
import type { ToolAnnotations } from "toolweave";
import type { ToolInfo } from "../../../compiler/lint-target.js";
import { brief, useLintFiles } from "../lint-files.js";
import { runRule } from "./run-rule.js";

const annotated = (name: string, annotations?: ToolAnnotations): [string, ToolInfo] => [
  name,
  { name, output: { kind: "unknown" }, ...(annotations ? { annotations } : {}) },
];

const tools = new Map([
  annotated("files.edit_file", { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false }),
  // idempotentHint left out: not idempotent
  annotated("files.append", { destructiveHint: true }),
  annotated("memory.delete_entities", { readOnlyHint: false, destructiveHint: true, idempotentHint: true }),
  // read-only: destructiveHint means nothing (MCP)
  annotated("files.read_file", { readOnlyHint: true, destructiveHint: true }),
  annotated("memory.create_entities", { destructiveHint: false, idempotentHint: false }),
  // no annotations: nothing is assumed (MCP's default destructiveHint, true, would flag every such tool)
  annotated("plain"),
]);

/** A one-line workflow whose steps are given as JSON, with the tools above known (as for a TypeScript workflow). */
const ts = (...steps: object[]) => ({ code: JSON.stringify({ name: "w", steps }), tools });
/** The span of the n-th `"maxRetries"` value in such code. */
function retriesAt(code: { code: string }, n = 0) {
  let start = -1;
  for (let k = 0; k <= n; k++) start = code.code.indexOf('"maxRetries":', start + 1);
  start += '"maxRetries":'.length;
  const end = start + code.code.slice(start).search(/[,}]/);
  return { line: 1, column: start + 1, endLine: 1, endColumn: end + 1 };
}

const edit = ts({ id: "edit", toolName: "files.edit_file", maxRetries: 2, parameters: { path: "a.md" } });
const appendOnce = ts({ id: "note", toolName: "files.append", maxRetries: 1 });
const perItem = ts({ id: "edits", toolName: "files.edit_file", forEach: "{{paths}}", maxRetries: 3 });
const nested = { name: "inner", steps: [{ id: "fix", toolName: "files.append" }] };
const viaSub = ts(
  { id: "read", toolName: "files.read_file", maxRetries: 2 },
  {
    id: "sub",
    toolName: "execute_workflow",
    maxRetries: 1,
    parameters: {
      workflow: {
        name: "outer",
        steps: [
          { id: "clean", toolName: "memory.delete_entities" },
          { id: "deeper", toolName: "execute_workflow", parameters: { workflow: nested } },
        ],
      },
    },
  },
);

runRule("retry-destructive", {
  valid: [
    // destructive but idempotent: a retry repeats nothing
    ts({ id: "clean", toolName: "memory.delete_entities", maxRetries: 3 }),
    // read-only, whatever destructiveHint says
    ts({ id: "read", toolName: "files.read_file", maxRetries: 3 }),
    // not destructive
    ts({ id: "remember", toolName: "memory.create_entities", maxRetries: 3 }),
    // no retries
    ts({ id: "edit", toolName: "files.edit_file" }, { id: "edit2", toolName: "files.edit_file", maxRetries: 0 }),
    // no annotations
    ts({ id: "p", toolName: "plain", maxRetries: 3 }),
    // a sub-workflow retried whose steps are all safe to repeat, and one not retried that is not
    ts(
      {
        id: "sub",
        toolName: "execute_workflow",
        maxRetries: 2,
        parameters: { workflow: { name: "safe", steps: [{ id: "r", toolName: "files.read_file" }] } },
      },
      { id: "sub2", toolName: "execute_workflow", parameters: { workflow: nested } },
    ),
    // a template file linted on its own has no tool definitions: the rule does not apply
    JSON.stringify({ name: "w", steps: [{ id: "edit", toolName: "files.edit_file", maxRetries: 2 }] }),
  ],
  invalid: [
    {
      name: "a destructive, not idempotent tool retried",
      code: edit,
      errors: [
        {
          message:
            'step "edit" retries tool "files.edit_file" up to 2 times, but its annotations mark it destructive and not idempotent: a retry after a timeout may apply it twice. retry only errors that cannot have taken effect, make the call idempotent, or drop the retry',
          ...retriesAt(edit),
        },
      ],
    },
    {
      name: "idempotentHint left out counts as not idempotent",
      code: appendOnce,
      errors: [
        {
          messageId: "retriesDestructive",
          data: { step: "note", tool: "files.append", retries: 1, times: "time" },
          ...retriesAt(appendOnce),
        },
      ],
    },
    {
      name: "a map step retries each item",
      code: perItem,
      errors: [
        {
          messageId: "retriesDestructivePerItem",
          data: { step: "edits", tool: "files.edit_file", retries: 3, times: "times" },
          ...retriesAt(perItem),
        },
      ],
    },
    {
      name: "a sub-workflow retried runs again the destructive steps it runs, through other sub-workflows too",
      code: viaSub,
      errors: [
        {
          messageId: "retriesSubWorkflow",
          data: { step: "sub", workflow: "outer", retries: 1, times: "time", inner: "fix", owner: "inner", tool: "files.append" },
          ...retriesAt(viaSub, 1),
        },
      ],
    },
  ],
});

describe("retry-destructive in a DSL file", () => {
  const { lintFiles } = useLintFiles("weave-retry-destructive-");

  /** A tools module as `weave tools pull` writes it, plus a tool with hints that are not literals. */
  const TOOLS = `import { z } from "zod";
import { tool } from "toolweave";

const path = z.object({ path: z.string() });
const yes = true;
const HINTS = { destructiveHint: true, idempotentHint: false } as const;
export const files = {
  edit_file: tool("files.edit_file", {
    input: path,
    output: z.unknown(),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false, title: "Edit" },
  }),
  read_file: tool("files.read_file", { input: path, output: z.unknown(), annotations: { readOnlyHint: true, destructiveHint: true } }),
  list: tool("files.list", { input: path, output: z.object({ paths: z.array(z.string()) }), annotations: { readOnlyHint: true } }),
};
export const memory = {
  delete_entities: tool("memory.delete_entities", { input: path, output: z.unknown(), annotations: { destructiveHint: true, idempotentHint: true } }),
};
export const plain = tool("plain", { input: path, output: z.unknown() });
// hints the compiler does not read (a const, a computed value, a spread): no finding, and no non-static error
export const viaConst = tool("via_const", { input: path, output: z.unknown(), annotations: HINTS });
export const computed = tool("computed", { input: path, output: z.unknown(), annotations: { destructiveHint: yes, idempotentHint: !yes, ...HINTS } });
`;

  const wf = (body: string) => `import { z } from "zod";
import { withOutput, workflow } from "toolweave";
import { computed, files, memory, plain, viaConst } from "./tools.js";

export const w = workflow("w", { input: z.object({ p: z.string() }) }, ({ input, step }) => {
${body}
  return {};
});
`;
  const findings = async (body: string, extra: Record<string, string> = {}) =>
    (await lintFiles({ "tools.ts": TOOLS, "w.ts": wf(body), ...extra })).map(brief);

  const cases: { name: string; body: string; found: string[] }[] = [
    {
      name: "reported at the retry count of .retry(...)",
      body: '  step("edit").tool(files.edit_file).with({ path: input.p }).retry({ max: 2, delayMs: 10 });',
      found: [
        '6:75 retry-destructive: step "edit" retries tool "files.edit_file" up to 2 times, but its annotations mark it destructive and not idempotent: a retry after a timeout may apply it twice. retry only errors that cannot have taken effect, make the call idempotent, or drop the retry',
      ],
    },
    {
      name: "withOutput keeps the tool's annotations",
      body: '  step("edit").tool(withOutput(files.edit_file, z.object({ ok: z.boolean() }))).with({ path: input.p }).retry({ max: 1 });',
      found: [
        '6:118 retry-destructive: step "edit" retries tool "files.edit_file" up to 1 time, but its annotations mark it destructive and not idempotent: a retry after a timeout may apply it twice. retry only errors that cannot have taken effect, make the call idempotent, or drop the retry',
      ],
    },
    {
      name: "a map step retries each item",
      body: `  const list = step("list").tool(files.list).with({ path: input.p }).retry({ max: 5 });
  step("edits").forEach(list.out.paths).tool(files.edit_file).with((path) => ({ path })).retry({ max: 2 });`,
      found: [
        '7:103 retry-destructive: map step "edits" retries tool "files.edit_file" up to 2 times for each item, but its annotations mark it destructive and not idempotent: a retry after a timeout may apply it twice to an item. retry only errors that cannot have taken effect, make the call idempotent, or drop the retry',
      ],
    },
    {
      name: "safe to retry: idempotent, read-only, no retries, no annotations, hints that are not literals",
      body: `  step("clean").tool(memory.delete_entities).with({ path: input.p }).retry({ max: 3 });
  step("read").tool(files.read_file).with({ path: input.p }).retry({ max: 3 });
  step("edit").tool(files.edit_file).with({ path: input.p });
  step("plain").tool(plain).with({ path: input.p }).retry({ max: 3 });
  step("const").tool(viaConst).with({ path: input.p }).retry({ max: 3 });
  step("computed").tool(computed).with({ path: input.p }).retry({ max: 3 });`,
      found: [],
    },
  ];
  for (const c of cases) it(c.name, async () => expect(await findings(c.body)).toEqual(c.found));

  it("a step that retries a sub-workflow, which runs the destructive step again", async () => {
    const sub = `import { z } from "zod";
import { workflow } from "toolweave";
import { files } from "./tools.js";

export const fix = workflow("fix", { input: z.object({ p: z.string() }) }, ({ input, step }) => {
  step("edit").tool(files.edit_file).with({ path: input.p });
  return {};
});
`;
    const body = `  step("fix").workflow(fix).with({ p: input.p }).retry({ max: 2 });`;
    const found = await findings(body, {
      "fix.ts": sub,
      "w.ts": wf(body).replace('from "./tools.js";', 'from "./tools.js";\nimport { fix } from "./fix.js";'),
    });
    expect(found).toEqual([
      '7:63 retry-destructive: step "fix" retries sub-workflow "fix" up to 2 times, and a retry runs it again: step "edit" of workflow "fix" calls tool "files.edit_file", which its annotations mark destructive and not idempotent, so a retry may apply it twice. retry only errors that cannot have taken effect, make that call idempotent, or drop the retry',
    ]);
  });
});
