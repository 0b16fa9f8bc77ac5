/**
 * @module Rule `unknown-tool`: a step calls a tool that is not registered. Only checked when the tools are known
 * (a TypeScript workflow); `execute_workflow` (sub-workflows) is built in.
 */
import { closest, quoteList } from "../../src/util/closest-name.js";
import { defineRule } from "./rule.js";

const BUILT_IN = new Set(["execute_workflow"]);

export default defineRule({
  id: "unknown-tool",
  severity: "error",
  docs: {
    description: "Disallow a step that calls a tool which is not registered",
    bad: `// tools.ts, the tools a template is checked against
import { z } from "zod";
import { tool } from "toolweave";

export const dockerBuild = tool("docker_build", { input: z.object({ image: z.string() }), output: z.object({ imageId: z.string() }) });

// deploy.json
{ "name": "deploy", "steps": [{ "id": "build", "toolName": "docker_biuld", "parameters": { "image": "app" } }] }`,
    good: `// tools.ts, the tools a template is checked against
import { z } from "zod";
import { tool } from "toolweave";

export const dockerBuild = tool("docker_build", { input: z.object({ image: z.string() }), output: z.object({ imageId: z.string() }) });

// deploy.json
{ "name": "deploy", "steps": [{ "id": "build", "toolName": "docker_build", "parameters": { "image": "app" } }] }`,
    note: 'a DSL step calls a tool object, which always exists, and `weave lint` has no tools to check a template file against: this rule fires where a template is checked with its tools known, and `weave run deploy.json --tools tools.ts` refuses the bad example before anything runs (unknown tool "docker_biuld". did you mean "docker_build"?)',
  },
  messages: {
    didYouMean: 'step "{{step}}" calls tool "{{tool}}", which is not registered. did you mean "{{suggestion}}"?',
    unknown: 'step "{{step}}" calls tool "{{tool}}", which is not registered. tools are {{tools}}',
  },
  create(context) {
    const tools = context.target.tools;
    return {
      step(step) {
        if (!tools || step.toolName === "" || tools.has(step.toolName) || BUILT_IN.has(step.toolName)) return;
        const names = [...tools.keys()];
        const suggestion = closest(step.toolName, names);
        const base = { path: ["steps", step.index, "toolName"], stepId: step.id };
        if (suggestion) context.report({ ...base, messageId: "didYouMean", data: { step: step.id, tool: step.toolName, suggestion } });
        else context.report({ ...base, messageId: "unknown", data: { step: step.id, tool: step.toolName, tools: quoteList(names) } });
      },
    };
  },
});
