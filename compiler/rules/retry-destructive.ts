/**
 * @module Rule `retry-destructive`: a step retries (`maxRetries` > 0) a tool whose annotations (the MCP hints,
 * `tool(name, { annotations })`, which `weave tools pull` writes from the server) mark it destructive and not
 * idempotent: `destructiveHint: true`, no `idempotentHint: true`, and not `readOnlyHint: true` (MCP: the other hints
 * mean nothing for a read-only tool). An attempt that timed out or lost its connection may have taken effect, so a
 * retry may repeat it (an edit applied twice). A map step retries each item, the same. A step that runs a sub-workflow
 * runs the whole sub-workflow again on a retry: it is reported when one of the steps it runs, directly or through
 * other sub-workflows, calls such a tool. Hints left out are not assumed (MCP's default for `destructiveHint` is
 * true, which would flag every tool without annotations). Only where tools are known (a TypeScript workflow): a
 * template file has no tool definitions.
 */
import { EXECUTE_WORKFLOW } from "../../src/model/compile-step.js";
import type { ToolInfo } from "../lint-target.js";
import { callsOf, workflowName } from "../workflow-calls.js";
import { defineRule } from "./rule.js";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** What its annotations say: destructive, not idempotent, not read-only. */
export function destructiveNotIdempotent(tool: ToolInfo | undefined): boolean {
  const a = tool?.annotations;
  return a !== undefined && a.readOnlyHint !== true && a.destructiveHint === true && a.idempotentHint !== true;
}

const FIX = "retry only errors that cannot have taken effect, make the call idempotent, or drop the retry";

export default defineRule({
  id: "retry-destructive",
  severity: "warning",
  docs: {
    description: "Report a step that retries a tool marked destructive and not idempotent, so that a retry may repeat its effect",
    bad: `import { z } from "zod";
import { tool, workflow } from "toolweave";

// as weave tools pull writes it from the MCP server "files", which marks edit_file destructive and not idempotent
const files = {
  edit_file: tool("files.edit_file", {
    input: z.object({ path: z.string(), oldText: z.string(), newText: z.string() }),
    output: z.unknown(),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  }),
};

export const addChangelogEntry = workflow("add_changelog_entry", { input: z.object({ entry: z.string() }) }, ({ input, step }) => {
  step("edit")
    .tool(files.edit_file)
    .with({ path: "CHANGELOG.md", oldText: "## Unreleased\\n", newText: \`## Unreleased\\n- \${input.entry}\\n\` })
    .retry({ max: 2 });
  return {};
});`,
    good: `import { z } from "zod";
import { tool, workflow } from "toolweave";

// as weave tools pull writes it from the MCP server "files", which marks edit_file destructive and not idempotent
const files = {
  edit_file: tool("files.edit_file", {
    input: z.object({ path: z.string(), oldText: z.string(), newText: z.string() }),
    output: z.unknown(),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  }),
};

export const addChangelogEntry = workflow("add_changelog_entry", { input: z.object({ entry: z.string() }) }, ({ input, step }) => {
  // no retry: a failed edit is looked at before it is made again
  step("edit")
    .tool(files.edit_file)
    .with({ path: "CHANGELOG.md", oldText: "## Unreleased\\n", newText: \`## Unreleased\\n- \${input.entry}\\n\` });
  return {};
});`,
    note: "the rule reads the annotations of tools defined in TypeScript (`weave tools pull` writes them from the MCP servers), as boolean literals; a tool without them, or without `destructiveHint: true`, is not reported. a template file linted on its own (`weave lint deploy.json`) has no tool definitions, so the rule does not apply to it. a tool that is safe to retry after all can say `idempotentHint: true`; a finding can be suppressed with a reason (`// weave-ignore retry-destructive: <reason>`)",
  },
  messages: {
    retriesDestructive: `step "{{step}}" retries tool "{{tool}}" up to {{retries}} {{times}}, but its annotations mark it destructive and not idempotent: a retry after a timeout may apply it twice. ${FIX}`,
    retriesDestructivePerItem: `map step "{{step}}" retries tool "{{tool}}" up to {{retries}} {{times}} for each item, but its annotations mark it destructive and not idempotent: a retry after a timeout may apply it twice to an item. ${FIX}`,
    retriesSubWorkflow:
      'step "{{step}}" retries sub-workflow "{{workflow}}" up to {{retries}} {{times}}, and a retry runs it again: step "{{inner}}" of workflow "{{owner}}" calls tool "{{tool}}", which its annotations mark destructive and not idempotent, so a retry may apply it twice. retry only errors that cannot have taken effect, make that call idempotent, or drop the retry',
  },
  create(context) {
    const tools = context.target.tools;
    if (!tools) return {};
    let templates: Map<string, unknown> | undefined;
    /** The sub-workflows this workflow runs, by name (a DSL workflow's, each once). */
    const subWorkflow = (name: string): unknown => {
      if (!templates) {
        templates = new Map();
        for (const t of context.target.subWorkflows?.() ?? []) {
          const n = workflowName(t);
          if (n !== undefined && !templates.has(n)) templates.set(n, t);
        }
      }
      return templates.get(name);
    };
    /** The first step the sub-workflow runs (itself, then what it runs, breadth first) that calls such a tool. */
    const destructiveIn = (callee: string, embedded: unknown) => {
      const pending = [embedded ?? subWorkflow(callee)];
      const seen = new Set<unknown>();
      for (let k = 0; k < pending.length; k++) {
        const template = pending[k];
        if (!isObject(template) || !Array.isArray(template.steps) || seen.has(template)) continue;
        seen.add(template);
        for (const step of template.steps as unknown[]) {
          if (!isObject(step) || typeof step.toolName !== "string" || step.toolName === EXECUTE_WORKFLOW) continue;
          if (destructiveNotIdempotent(tools.get(step.toolName)))
            return { inner: String(step.id), owner: workflowName(template) ?? callee, tool: step.toolName };
        }
        for (const call of callsOf(template)) pending.push(call.embedded ?? subWorkflow(call.callee));
      }
      return undefined;
    };
    return {
      step(step) {
        const retries = step.raw.maxRetries;
        if (typeof retries !== "number" || !(retries > 0)) return;
        const base = {
          path: ["steps", step.index, "maxRetries"],
          stepId: step.id,
          data: { step: step.id, tool: step.toolName, retries, times: retries === 1 ? "time" : "times" },
        };
        if (step.toolName === EXECUTE_WORKFLOW) {
          const call = callsOf(context.target.template).find((c) => c.stepIndex === step.index);
          const found = call && destructiveIn(call.callee, call.embedded);
          if (call && found)
            context.report({ ...base, messageId: "retriesSubWorkflow", data: { ...base.data, workflow: call.callee, ...found } });
          return;
        }
        if (!destructiveNotIdempotent(tools.get(step.toolName))) return;
        const perItem = typeof step.raw.forEach === "string";
        context.report({ ...base, messageId: perItem ? "retriesDestructivePerItem" : "retriesDestructive" });
      },
    };
  },
});
