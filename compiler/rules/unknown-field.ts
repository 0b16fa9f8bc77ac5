/**
 * @module Rule `unknown-field`: `{{step.a.b}}` where the output of the step's tool is statically known (from its
 * zod output schema) and has no such field. The step facts `success` and `error` always exist. Silent when the
 * tools are unknown (template files) or a schema could not be read statically.
 */
import type { FieldTree } from "../lint-target.js";
import { closest, quoteList } from "../../src/util/closest-name.js";
import { outputReferences, referencesOf, type ReferenceSite } from "../step-facts.js";
import { EXECUTE_WORKFLOW } from "../../src/model/compile-step.js";
import { formatPath, type PathSegment } from "../../src/placeholder/path.js";
import { defineRule } from "./rule.js";

const FACTS = new Set(["success", "error"]);

/** The first segment of `path` that `tree` does not have, with what exists there instead. */
function missingAt(
  tree: FieldTree,
  path: readonly PathSegment[],
): { at: number; fields: string[]; kind: "field" | "index" | "leaf" } | undefined {
  let node = tree;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    switch (node.kind) {
      case "unknown":
        return undefined;
      case "leaf":
        return { at: k, fields: [], kind: "leaf" };
      case "array":
        if (typeof seg !== "number") return { at: k, fields: [], kind: "index" };
        node = node.items;
        break;
      case "object": {
        const next = typeof seg === "string" ? node.fields.get(seg) : undefined;
        if (next) node = next;
        else if (node.open) return undefined;
        else return { at: k, fields: [...node.fields.keys()], kind: "field" };
      }
    }
  }
  return undefined;
}

export default defineRule({
  id: "unknown-field",
  severity: "error",
  docs: {
    description: "Disallow a placeholder that reads a field the step's tool output does not have",
    bad: `import { z } from "zod";
import { tool, workflow } from "toolweave";

const dockerBuild = tool("docker_build", { input: z.object({ image: z.string() }), output: z.object({ imageId: z.string() }) });
const kubectlApply = tool("kubectl_apply", { input: z.object({ image: z.string() }), output: z.object({ url: z.string() }) });

export const deploy = workflow("deploy", { description: "Build an image and deploy it", input: z.object({ image: z.string() }) }, ({ input, step }) => {
  const build = step("build").tool(dockerBuild).with({ image: input.image });
  // a placeholder in a string is not type-checked: "imageID" is not a field of docker_build's output
  step("deploy").tool(kubectlApply).with({ image: "{{build.imageID}}" }).after(build);
  return {};
});`,
    good: `import { z } from "zod";
import { tool, workflow } from "toolweave";

const dockerBuild = tool("docker_build", { input: z.object({ image: z.string() }), output: z.object({ imageId: z.string() }) });
const kubectlApply = tool("kubectl_apply", { input: z.object({ image: z.string() }), output: z.object({ url: z.string() }) });

export const deploy = workflow("deploy", { description: "Build an image and deploy it", input: z.object({ image: z.string() }) }, ({ input, step }) => {
  const build = step("build").tool(dockerBuild).with({ image: input.image });
  // a typed reference: build.out.imageID would be a TypeScript error
  step("deploy").tool(kubectlApply).with({ image: build.out.imageId });
  return {};
});`,
  },
  messages: {
    noSuchField:
      '"{{placeholder}}" reads "{{field}}" of step "{{step}}", but the output of tool "{{tool}}" has no field "{{name}}" there. fields are {{fields}}',
    noSuchFieldSuggest:
      '"{{placeholder}}" reads "{{field}}" of step "{{step}}", but the output of tool "{{tool}}" has no field "{{name}}" there. did you mean "{{suggestion}}"?',
    notAnArray:
      '"{{placeholder}}" reads "{{field}}" of step "{{step}}", but "{{parent}}" is an array in the output of tool "{{tool}}". use an index such as "[0]"',
    notAnObject: '"{{placeholder}}" reads "{{field}}" of step "{{step}}", but "{{parent}}" has no fields in the output of tool "{{tool}}"',
  },
  create(context) {
    const tools = context.target.tools;
    const check = (site: ReferenceSite, stepId?: string): void => {
      const source = context.stepById.get(site.ref.root);
      // an execute_workflow step yields the sub-workflow's outputs, whatever a tool of that name declares
      const tool = source && source.toolName !== EXECUTE_WORKFLOW ? tools?.get(source.toolName) : undefined;
      if (!source || !tool) return;
      const path = site.ref.path;
      if (path.length === 0 || (typeof path[0] === "string" && FACTS.has(path[0]))) return;
      // a map step's result is the array of its tool's outputs, one per item
      const output: FieldTree = typeof source.raw.forEach === "string" ? { kind: "array", items: tool.output } : tool.output;
      const missing = missingAt(output, path);
      if (!missing) return;
      const data = {
        placeholder: context.written(site),
        field: formatPath(path.slice(0, missing.at + 1)),
        step: source.id,
        tool: tool.name,
        parent: missing.at === 0 ? source.id : formatPath(path.slice(0, missing.at)),
      };
      const base = { path: site.path, range: site.range, ...(stepId !== undefined ? { stepId } : {}) };
      if (missing.kind === "index") return context.report({ ...base, messageId: "notAnArray", data });
      if (missing.kind === "leaf") return context.report({ ...base, messageId: "notAnObject", data });
      const name = String(path[missing.at]);
      const suggestion = closest(name, missing.fields);
      if (suggestion) context.report({ ...base, messageId: "noSuchFieldSuggest", data: { ...data, name, suggestion } });
      else context.report({ ...base, messageId: "noSuchField", data: { ...data, name, fields: quoteList(missing.fields) } });
    };
    return {
      step(step) {
        for (const site of referencesOf(step)) check(site, step.id);
      },
      after() {
        for (const site of outputReferences(context.target.template)) check(site);
      },
    };
  },
});
