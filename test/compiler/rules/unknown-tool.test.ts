import { runRule } from "./run-rule.js";
import { tool } from "./trees.js";

const tools = new Map([tool("docker_build"), tool("kubectl_apply")]);
const ts = (code: string) => ({ code, tools });

runRule("unknown-tool", {
  valid: [
    ts('{"name": "w", "steps": [{"id": "a", "toolName": "docker_build"}]}'),
    // built in
    ts('{"name": "w", "steps": [{"id": "a", "toolName": "execute_workflow", "parameters": {"workflow": "x"}}]}'),
    // tools unknown (a template file): silent
    '{"name": "w", "steps": [{"id": "a", "toolName": "anything"}]}',
  ],
  invalid: [
    {
      code: ts('{"name": "w", "steps": [{"id": "a", "toolName": "docker_biuld"}, {"id": "b", "toolName": "zzz"}]}'),
      errors: [
        {
          messageId: "didYouMean",
          data: { step: "a", tool: "docker_biuld", suggestion: "docker_build" },
          line: 1,
          column: 49,
          endLine: 1,
          endColumn: 63,
        },
        {
          message: 'step "b" calls tool "zzz", which is not registered. tools are "docker_build", "kubectl_apply"',
          line: 1,
          column: 90,
          endLine: 1,
          endColumn: 95,
        },
      ],
    },
  ],
});
