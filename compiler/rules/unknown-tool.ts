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
    bad: `const tools = defineTools({ docker_build: dockerBuild });
// a template step { "id": "build", "toolName": "docker_biuld" } checked against these tools`,
    good: `const tools = defineTools({ docker_build: dockerBuild });
// a template step { "id": "build", "toolName": "docker_build" } checked against these tools`,
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
