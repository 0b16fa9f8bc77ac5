/**
 * @module Runs the lint rules over one {@link LintTarget}: steps are viewed once, every rule's hooks run in one
 * walk (before, each step, after), messages are filled from their tables and spans resolved through the target.
 */
import { compareDiagnostics, type Diagnostic, type Severity } from "./diagnostic.js";
import type { JsonPath, LintTarget } from "./lint-target.js";
import type { Reference } from "../src/placeholder/path.js";
import { exampleKind, lintExample } from "./explain-example.js";
import { rules } from "./rules/index.js";
import type { Rule, RuleContext, RuleHooks, StepView } from "./rules/rule.js";
import { WorkflowGraph } from "./workflow-calls.js";
import { formatMessage } from "../src/model/issue-catalogue.js";

export interface LintOptions {
  /** Per rule id: a different severity, or "off". */
  readonly rules?: Partial<Record<string, Severity | "off">>;
  /**
   * The sub-workflow calls of every workflow of the lint run (`WorkflowGraph.of` their templates). Without it, rules
   * see this workflow, its DSL sub-workflows and the templates it embeds.
   */
  readonly workflows?: WorkflowGraph;
  /** Only the rules of this scope (`Rule.scope`): a checker keeps "workflow" findings and re-runs "run" rules. */
  readonly scope?: "workflow" | "run";
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `{{name}}` in a message template, filled in one pass (the catalogue of template issues defines it). */
export { formatMessage };

/** Steps valid enough to view: objects with a non-empty string id. Other fields are normalised, never trusted. */
export function viewSteps(template: unknown): StepView[] | undefined {
  if (!isObject(template) || !Array.isArray(template.steps)) return undefined;
  const views: StepView[] = [];
  template.steps.forEach((raw: unknown, index) => {
    if (!isObject(raw) || typeof raw.id !== "string" || raw.id === "") return;
    views.push({
      index,
      id: raw.id,
      toolName: typeof raw.toolName === "string" ? raw.toolName : "",
      dependsOn: Array.isArray(raw.dependsOn) ? raw.dependsOn.filter((d): d is string => typeof d === "string") : [],
      condition: typeof raw.condition === "string" ? raw.condition : null,
      parameters: raw.parameters,
      raw,
    });
  });
  return views;
}

/** Every finding of the enabled rules for `target`, sorted by position. */
export function lintTarget(target: LintTarget, options: LintOptions = {}): Diagnostic[] {
  const steps = viewSteps(target.template);
  const active = rules.filter(
    (rule) =>
      (options.rules?.[rule.id] ?? rule.severity) !== "off" &&
      (steps !== undefined || rule.id === "invalid-template") &&
      (options.scope === undefined || (rule.scope ?? "workflow") === options.scope),
  );
  const stepViews = steps ?? [];
  const stepById = new Map<string, StepView>();
  for (const s of stepViews) if (!stepById.has(s.id)) stepById.set(s.id, s);
  const workflow = isObject(target.template) && typeof target.template.name === "string" ? target.template.name : undefined;

  let workflows = options.workflows;
  const workflowGraph = (): WorkflowGraph => (workflows ??= WorkflowGraph.of([target.template, ...(target.subWorkflows?.() ?? [])]));

  const diagnostics: Diagnostic[] = [];
  const hooks: RuleHooks[] = active.map((rule: Rule) => {
    const setting = options.rules?.[rule.id] as Severity | undefined;
    const context: RuleContext<string> = {
      target,
      steps: stepViews,
      stepById,
      get workflows() {
        return workflowGraph();
      },
      written: (site) => writtenAs(target, site),
      report({ path, range, messageId, data, stepId, severity }) {
        const template = rule.messages[messageId];
        if (template === undefined) throw new Error(`rule "${rule.id}" has no message "${messageId}"`);
        diagnostics.push({
          ruleId: rule.id,
          severity: setting ?? severity ?? rule.severity,
          message: formatMessage(template, data),
          span: target.locate(path, range),
          ...(workflow !== undefined ? { workflow } : {}),
          ...(stepId !== undefined ? { stepId } : {}),
        });
      },
    };
    return rule.create(context);
  });

  for (const h of hooks) h.before?.();
  for (const step of stepViews) for (const h of hooks) h.step?.(step);
  for (const h of hooks) h.after?.();
  return diagnostics.sort(compareDiagnostics);
}

/**
 * The source text of a reference in a DSL file (`build.out.imageId`, `input.image`, or the `{{...}}` of a string
 * literal), when the span found for it is that reference: a chain of property accesses ending with the reference's
 * path (through `.out` for a step). Anything else (a const declared elsewhere, a multi-line span) gives the placeholder.
 */
export function writtenAs(
  target: LintTarget,
  site: {
    readonly path: JsonPath;
    readonly range: { readonly start: number; readonly end: number };
    readonly placeholder: string;
    readonly ref: Reference;
  },
): string {
  if (target.origin !== "ts") return site.placeholder;
  const span = target.locate(site.path, site.range);
  const text = target.text.slice(span.start.offset, span.end.offset);
  if (text === site.placeholder) return text;
  if (!/^[A-Za-z_$][\w$]*(\??\.[A-Za-z_$][\w$]*|\[\d+\])*$/.test(text)) return site.placeholder;
  const tail = site.ref.path.map((seg) => (typeof seg === "number" ? `[${seg}]` : `.${seg}`)).join("");
  const plain = text.replace(/\?\./g, ".");
  return plain.endsWith(tail) && (tail !== "" || plain.endsWith(".out")) ? text : site.placeholder;
}

/** `line:col: message [rule-id]`, the form of the golden corpus and of `--explain`. */
export function formatLine(d: Diagnostic): string {
  return `${d.span.start.line}:${d.span.start.column}: ${d.message} [${d.ruleId}]`;
}

/**
 * The `--explain` page of a rule: id, severity, description, the bad and good examples, and what `lint` really
 * reports for the bad example, a JSON template or a DSL module (computed here, so the page never drifts from the code).
 */
export function explainRule(id: string): string | undefined {
  const rule = rules.find((r) => r.id === id);
  if (!rule) return undefined;
  const lines = [
    `${rule.id} (${rule.severity})`,
    rule.docs.description,
    "",
    "bad:",
    indent(rule.docs.bad),
    "",
    "good:",
    indent(rule.docs.good),
    "",
  ];
  const kind = exampleKind(rule.docs.bad);
  if (kind !== "text") {
    lines.push("diagnostics for the bad example:");
    const all = lintExample("bad", rule.docs.bad, (target) => lintTarget(target)).filter((d) => d.ruleId === rule.id);
    for (const d of all) lines.push(`  bad.${kind}:${formatLine(d)}`);
  }
  if (rule.docs.note !== undefined) lines.push(`note: ${rule.docs.note}`);
  return lines.join("\n");
}

const indent = (text: string): string =>
  text
    .trim()
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
