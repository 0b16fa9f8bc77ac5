// Hand-made findings for the format tests: two files, every severity, a multi-line span, text that needs escaping.
import { spanAt, type Diagnostic, type Severity } from "../../../compiler/diagnostic.js";
import type { RuleMeta } from "../../../compiler/format/types.js";

export const DEPLOY = `{
  "name": "deploy",
  "steps": [
    { "id": "build", "toolName": "build" },
    { "id": "push", "toolName": "push", "dependsOn": ["biuld"],
      "parameters": { "image": "{{build.image}}" } }
  ]
}
`;

export const FLOW = `import { workflow } from "toolweave";
export const flow = workflow("flow", {}, ({ step }) => {
\tconst a = step("a").tool(t.fetch).with({ url: "x" });
});
`;

const at = (
  file: string,
  text: string,
  needle: string,
  length = needle.length,
  nth = 0,
): { file: string; start: number; end: number; text: string } => {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`no ${needle}`);
  return { file, start, end: start + length, text };
};

function diag(
  ruleId: string,
  severity: Severity,
  message: string,
  where: ReturnType<typeof at>,
  extra: { workflow?: string; stepId?: string } = {},
): Diagnostic {
  return { ruleId, severity, message, span: spanAt(where.file, where.text, where.start, where.end), ...extra };
}

export const DIAGNOSTICS: Diagnostic[] = [
  diag(
    "unknown-dependency",
    "error",
    `step "push" needs step "biuld", which does not exist in workflow "deploy". steps are "build", "push"`,
    at("deploy.json", DEPLOY, `"biuld"`),
    { workflow: "deploy", stepId: "push" },
  ),
  diag(
    "hidden-dependency",
    "error",
    `"{{build.image}}" reads step "build", which is not ordered before step "push"`,
    at("deploy.json", DEPLOY, "{{build.image}}"),
    { workflow: "deploy", stepId: "push" },
  ),
  diag(
    "unnecessary-serialization",
    "info",
    `step "push" waits for "biuld" but reads nothing of it`,
    at("deploy.json", DEPLOY, `{ "id": "push"`, 90),
    { workflow: "deploy", stepId: "push" },
  ),
  diag("non-static", "warning", "tool `t.fetch` is 50% unknown: line1\nline2, and: more", at("src/flow.ts", FLOW, "t.fetch"), {
    workflow: "flow",
    stepId: "a",
  }),
];

export const FILES = new Map([
  ["deploy.json", DEPLOY],
  ["src/flow.ts", FLOW],
  ["clean.json", "{}"],
]);

export const RULES: RuleMeta[] = [
  { id: "unknown-dependency", severity: "error", description: "Disallow dependencies on steps that do not exist" },
  { id: "hidden-dependency", severity: "error", description: "Disallow reading a step not ordered before" },
  { id: "unnecessary-serialization", severity: "info", description: "Report dependencies with no data flow" },
];
