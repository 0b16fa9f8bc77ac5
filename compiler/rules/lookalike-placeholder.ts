/**
 * @module Rule `lookalike-placeholder`: text in a parameter, a condition or a workflow output that looks like a
 * placeholder in another syntax, which is passed on as literal text: `<<build.imageId>>`, `${build.imageId}`,
 * `{build.imageId}`, `{build.imageId}}`, `{{build.imageId}` (unbalanced; also an `invalid-template` error). Reported
 * at those characters with the `{{...}}` it probably meant (in a DSL file, the reference: `build.out.imageId`).
 *
 * What counts, to keep ordinary text quiet:
 * - `<<x>>` and unbalanced braces are no syntax of anything else a tool is likely to be given: reported whatever `x`
 *   names, as long as it reads like a reference (`name`, `name.field`, `name.items[0]`). With spaces inside
 *   (`a << b >> c`) or closing an outer brace (`{"a": {name}}`, JSON in a string) they are ambiguous, as below.
 * - `${x}` (shell, JavaScript) and `{x}` (format strings) are common on their own: reported only when the root of `x`
 *   is a step or a declared input, or one or two edits from a step id (then the suggestion has the step's id). So a
 *   shell `${HOME}`, JSON in a string (`{"a": 1}`) and a format string's `{name}` with no step or input `name` pass.
 * - `${{ x }}` is a real placeholder after a `$` (a price, `${{amount}}`): not reported.
 * In a DSL file a template literal's `${...}` is code, evaluated before the template exists: only a `${` left in the
 * extracted value (a plain string, or an escaped `\${`) is literal text, and only that is checked.
 */
import { closest } from "../../src/util/closest-name.js";
import { EXECUTE_WORKFLOW } from "../../src/model/compile-step.js";
import { printPlaceholder } from "../../src/condition/print.js";
import { parseReference, type Reference } from "../../src/placeholder/path.js";
import type { JsonPath } from "../lint-target.js";
import { scanPlaceholders } from "../placeholder-scan.js";
import { dslPath, stepVariables } from "../source-terms.js";
import { stringsIn } from "../step-facts.js";
import { defineRule } from "./rule.js";
import { nearStep } from "./unknown-reference.js";

/** The syntaxes recognised; `distinct` ones are reported whatever their root names. */
export type LookalikeKind = "angle" | "dollar" | "single" | "unclosed" | "unopened";

const BODY = String.raw`[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*`;
const PATTERNS: readonly { kind: LookalikeKind; re: RegExp; distinct: boolean }[] = [
  { kind: "angle", re: new RegExp(String.raw`<<\s*(${BODY})\s*>>`, "g"), distinct: true },
  { kind: "dollar", re: new RegExp(String.raw`\$\{\s*(${BODY})\s*\}(?!\})`, "g"), distinct: false },
  { kind: "unclosed", re: new RegExp(String.raw`(?<![{$])\{\{\s*(${BODY})\s*\}(?!\})`, "g"), distinct: true },
  { kind: "unopened", re: new RegExp(String.raw`(?<![{$])\{\s*(${BODY})\s*\}\}(?!\})`, "g"), distinct: true },
  { kind: "single", re: new RegExp(String.raw`(?<![{$])\{\s*(${BODY})\s*\}(?!\})`, "g"), distinct: false },
];

export interface Lookalike {
  readonly kind: LookalikeKind;
  readonly distinct: boolean;
  /** The characters `[start, end)` of the text. */
  readonly start: number;
  readonly end: number;
  readonly ref: Reference;
}

/** Every lookalike of `text`, in order, none overlapping; real `{{...}}` placeholders are never part of one. */
export function findLookalikes(text: string): Lookalike[] {
  if (!/[<{]/.test(text)) return [];
  // real placeholders are blanked out first, so `{{a}}}` or `${{amount}}` leave nothing that looks like one
  const pieces: string[] = [];
  let from = 0;
  for (const p of scanPlaceholders(text)) {
    pieces.push(text.slice(from, p.start), "\0".repeat(p.end - p.start));
    from = p.end;
  }
  const masked = pieces.join("") + text.slice(from);
  const found: Lookalike[] = [];
  for (const { kind, re, distinct } of PATTERNS) {
    re.lastIndex = 0;
    const openBraces = braceDepth(masked);
    for (let m = re.exec(masked); m !== null; m = re.exec(masked)) {
      let ref: Reference;
      try {
        ref = parseReference(m[1]!);
      } catch {
        continue;
      }
      if (kind === "angle" && /\s/.test(m[0])) {
        // `a << b >> c` is more likely shifts or quotes than a placeholder: only when it names a step or an input
        found.push({ kind, distinct: false, start: m.index, end: m.index + m[0].length, ref });
      } else if (kind === "unopened" && openBraces(m.index) > 0) {
        // `{"a": {name}}`: the second brace closes an outer one (JSON in a string); what is left is `{name}`
        found.push({ kind: "single", distinct: false, start: m.index, end: m.index + m[0].length - 1, ref });
      } else found.push({ kind, distinct, start: m.index, end: m.index + m[0].length, ref });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Lookalike[] = [];
  for (const l of found) if (kept.length === 0 || l.start >= kept[kept.length - 1]!.end) kept.push(l);
  return kept;
}

/** How many `{` before a position are not closed before it, for positions asked in increasing order (linear). */
function braceDepth(text: string): (end: number) => number {
  let at = 0;
  let depth = 0;
  return (end) => {
    for (; at < end; at++) {
      if (text[at] === "{") depth++;
      else if (text[at] === "}" && depth > 0) depth--;
    }
    return depth;
  };
}

const WHY: Record<LookalikeKind, string> = {
  angle: "placeholders are written {{...}}",
  dollar: "${...} is not substituted in a template",
  single: "a placeholder has two braces on each side",
  unclosed: "a placeholder has two braces on each side",
  unopened: "a placeholder has two braces on each side",
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export default defineRule({
  id: "lookalike-placeholder",
  severity: "warning",
  docs: {
    description: "Report text that looks like a placeholder in another syntax, which is passed on as literal text",
    bad: `{
  "name": "release",
  "steps": [
    { "id": "build", "toolName": "docker_build", "parameters": { "image": "app" } },
    { "id": "push", "toolName": "docker_push", "dependsOn": ["build"], "parameters": { "image": "<<build.imageId>>" } },
    { "id": "notify", "toolName": "slack_send_message", "dependsOn": ["push"], "parameters": { "text": "pushed {push.digest}" } }
  ]
}`,
    good: `{
  "name": "release",
  "steps": [
    { "id": "build", "toolName": "docker_build", "parameters": { "image": "app" } },
    { "id": "push", "toolName": "docker_push", "dependsOn": ["build"], "parameters": { "image": "{{build.imageId}}" } },
    { "id": "notify", "toolName": "slack_send_message", "dependsOn": ["push"], "parameters": { "text": "pushed {{push.digest}}" } }
  ]
}`,
  },
  messages: {
    lookalike: '"{{found}}" {{where}} is passed on as literal text: {{why}}. did you mean {{suggestion}}?',
    unclosed:
      '"{{found}}" {{where}} opens a placeholder that is not closed: a placeholder has two braces on each side. did you mean {{suggestion}}?',
  },
  create(context) {
    const dsl = context.target.origin === "ts";
    const inputs = context.target.inputs;

    /** The root `name` probably means: a step or an input, itself or one it is a typo of. */
    const resolve = (ref: Reference): { root: string; kind: "step" | "input" } | undefined => {
      if (context.stepById.has(ref.root)) return { root: ref.root, kind: "step" };
      if (inputs?.has(ref.root)) return { root: ref.root, kind: "input" };
      const step = nearStep(ref.root, ref.path.length > 0, context.stepById.keys());
      if (step !== undefined) return { root: step, kind: "step" };
      const input = inputs && closest(ref.root, inputs);
      return input ? { root: input, kind: "input" } : undefined;
    };

    /** What to write instead: `"{{build.imageId}}"`, or in a DSL file `build.out.imageId` / a template literal. */
    const suggest = (ref: Reference, meant: { root: string; kind: "step" | "input" } | undefined, whole: boolean): string => {
      const root = meant?.root ?? ref.root;
      const placeholder = printPlaceholder(root, ref.path);
      if (!dsl) return `"${placeholder}"`;
      const variable = meant?.kind === "step" ? stepVariables(context).get(root) : meant?.kind === "input" ? "input" : undefined;
      if (variable === undefined) return `"${placeholder}"`;
      const expr = meant!.kind === "step" ? `${variable}.out${dslPath(ref.path)}` : `${variable}${dslPath([root, ...ref.path])}`;
      return whole ? expr : `a template literal with \${${expr}}`;
    };

    const check = (text: string, path: JsonPath, where: string, stepId?: string): void => {
      for (const l of findLookalikes(text)) {
        const meant = resolve(l.ref);
        if (!meant && !l.distinct) continue;
        context.report({
          path,
          range: { start: l.start, end: l.end },
          messageId: l.kind === "unclosed" ? "unclosed" : "lookalike",
          ...(stepId !== undefined ? { stepId } : {}),
          data: {
            found: text.slice(l.start, l.end),
            where,
            why: l.kind === "dollar" && dsl ? "${...} is substituted only in a template literal (in backquotes)" : WHY[l.kind],
            suggestion: suggest(l.ref, meant, l.start === 0 && l.end === text.length),
          },
        });
      }
    };
    const any = (): boolean => true;

    return {
      step(step) {
        const params = step.parameters;
        // an embedded sub-workflow template is checked as a workflow of its own
        const embedded =
          step.toolName === EXECUTE_WORKFLOW && isObject(params) && params.workflow !== undefined && typeof params.workflow !== "string";
        for (const s of stringsIn(embedded ? { ...params, workflow: null } : params, ["steps", step.index, "parameters"], any))
          check(s.text, s.path, `in step "${step.id}"`, step.id);
        if (step.condition !== null)
          check(step.condition, ["steps", step.index, "condition"], `in the condition of step "${step.id}"`, step.id);
      },
      after() {
        const template = context.target.template;
        if (!isObject(template)) return;
        for (const s of stringsIn(template.outputs, ["outputs"], any)) check(s.text, s.path, `in output "${String(s.path[1])}"`);
      },
    };
  },
});
