/**
 * @module Suppressing a finding where it is reported, with a reason. In a TypeScript file, a comment on the line
 * before the finding, or before the first line of the step it belongs to:
 *
 *     // weave-ignore unnecessary-serialization: the e2e suite needs the database the integration suite migrates
 *
 * (several rules: `// weave-ignore rule-a, rule-b: reason`). In a JSON template, a step's
 * `"lint": { "ignore": { "<rule-id>": "<reason>" } }` covers the findings inside that step, and the template's own
 * `lint.ignore` every finding of the template. A suppressed finding is kept, marked with its reason, and counts for
 * nothing. A suppression that names no rule or an unknown one, gives no reason (then it suppresses nothing), or
 * suppresses nothing is itself a finding of rule `invalid-suppression`, like eslint's unused disable directives; a
 * suppression of a rule turned off is not reported as unused.
 */
import type { Diagnostic, Span } from "./diagnostic.js";
import { spanFinder } from "./diagnostic.js";
import type { RuleSettings } from "./lint-config.js";
import { formatMessage } from "./lint-engine.js";
import type { LintTarget } from "./lint-target.js";
import invalidSuppression from "./rules/invalid-suppression.js";
import { rules } from "./rules/index.js";
import { closest, quoteList } from "../src/util/closest-name.js";

/** What suppressions are read from. */
export interface SuppressionSources {
  /** TypeScript files: their `// weave-ignore` comments. */
  readonly tsFiles: readonly { readonly file: string; readonly text: string }[];
  /** JSON templates: their `lint.ignore` fields. */
  readonly jsonTargets: readonly LintTarget[];
  /** The first line of the step a finding of a TypeScript file belongs to, so a comment above the step covers it. */
  readonly stepLine?: (d: Diagnostic) => number | undefined;
  /** The run's rule settings: `invalid-suppression`'s severity, and rules turned off (no "unused" for them). */
  readonly settings?: RuleSettings;
}

interface Directive {
  readonly rule: string;
  readonly reason: string;
  /** Where the suppression is written (the rule id of a comment, the reason of a JSON field). */
  readonly span: Span;
  /** "on the next line", `in step "push"`, "in this template": where it looks, for the "unused" message. */
  readonly where: string;
  covers(d: Diagnostic): boolean;
  used: boolean;
}

const ID = invalidSuppression.id;
/** A whole-line comment `// weave-ignore ...`: group 1 is what follows the keyword. */
const COMMENT = /^[ \t]*\/\/[ \t]*weave-ignore(?![\w-])(.*)$/;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Marks the findings that a suppression covers and reports the suppressions that are wrong. `diagnostics` are every
 * finding of the run, settings applied. @returns the findings that count, with the `invalid-suppression` ones, and
 * the suppressed findings (each with `suppressed` set), both sorted as they came
 */
export function applySuppressions(
  sources: SuppressionSources,
  diagnostics: readonly Diagnostic[],
): { diagnostics: Diagnostic[]; suppressed: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const report = (span: Span, messageId: keyof typeof invalidSuppression.messages, data: Record<string, string>): void => {
    problems.push({
      ruleId: ID,
      severity: invalidSuppression.severity,
      message: formatMessage(invalidSuppression.messages[messageId], data),
      span,
    });
  };
  const ids = rules.map((r) => r.id).sort();
  const known = (rule: string, span: Span): boolean => {
    if (ids.includes(rule)) return true;
    const near = closest(rule, ids);
    report(span, "unknownRule", { rule, choices: `${near ? `did you mean "${near}"? ` : ""}rules are ${quoteList(ids, ids.length)}` });
    return false;
  };

  const byFile = new Map<string, Directive[]>();
  const add = (file: string, directive: Directive): void => {
    const list = byFile.get(file);
    if (list) list.push(directive);
    else byFile.set(file, [directive]);
  };

  for (const { file, text } of sources.tsFiles) {
    if (!text.includes("weave-ignore")) continue;
    for (const c of commentDirectives(file, text)) {
      if (c.rules.length === 0) {
        report(c.span, "noRule", {});
        continue;
      }
      for (const r of c.rules) {
        if (!known(r.rule, r.span)) continue;
        if (c.reason === "") {
          report(r.span, "noReason", { rule: r.rule, how: `write why after a colon: // weave-ignore ${r.rule}: <reason>` });
          continue;
        }
        const target = c.nextLine;
        add(file, {
          rule: r.rule,
          reason: c.reason,
          span: r.span,
          where: `on line ${target} or in the step that starts there`,
          covers: (d) => d.span.start.line === target || sources.stepLine?.(d) === target,
          used: false,
        });
      }
    }
  }

  for (const target of sources.jsonTargets) {
    const template = target.template;
    if (!isObject(template)) continue;
    const steps = Array.isArray(template.steps) ? template.steps : [];
    steps.forEach((step: unknown, i) => {
      if (!isObject(step)) return;
      const stepSpan = target.locate(["steps", i]);
      const inside = (d: Diagnostic): boolean => d.span.start.offset >= stepSpan.start.offset && d.span.start.offset < stepSpan.end.offset;
      const stepId = typeof step.id === "string" ? step.id : undefined;
      const where = stepId !== undefined ? `in step ${JSON.stringify(stepId)}` : `in step ${i + 1}`;
      for (const entry of ignoreEntries(target, step.lint, ["steps", i, "lint", "ignore"])) {
        if (!known(entry.rule, entry.span)) continue;
        if (entry.reason === "") {
          report(entry.span, "noReason", { rule: entry.rule, how: `write why: "${entry.rule}": "<reason>"` });
          continue;
        }
        add(target.file, { rule: entry.rule, reason: entry.reason, span: entry.span, where, covers: inside, used: false });
      }
    });
    for (const entry of ignoreEntries(target, template.lint, ["lint", "ignore"])) {
      if (!known(entry.rule, entry.span)) continue;
      if (entry.reason === "") {
        report(entry.span, "noReason", { rule: entry.rule, how: `write why: "${entry.rule}": "<reason>"` });
        continue;
      }
      add(target.file, {
        rule: entry.rule,
        reason: entry.reason,
        span: entry.span,
        where: "in this template",
        covers: () => true,
        used: false,
      });
    }
  }

  const kept: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  for (const d of diagnostics) {
    const directive = byFile.get(d.span.file)?.find((x) => x.rule === d.ruleId && x.covers(d));
    if (!directive) {
      kept.push(d);
      continue;
    }
    directive.used = true;
    suppressed.push({ ...d, suppressed: { reason: directive.reason, span: directive.span } });
  }
  for (const list of byFile.values()) {
    for (const x of list) if (!x.used && sources.settings?.[x.rule] !== "off") report(x.span, "unused", { rule: x.rule, where: x.where });
  }

  const setting = sources.settings?.[ID];
  if (setting !== "off") for (const p of problems) kept.push(setting ? { ...p, severity: setting } : p);
  return { diagnostics: kept, suppressed };
}

/** A `// weave-ignore` comment: the rules it names (each with its span), its reason, and the line it applies to. */
interface CommentDirective {
  readonly span: Span;
  readonly rules: readonly { readonly rule: string; readonly span: Span }[];
  readonly reason: string;
  /** The first line after the comment (and after any `weave-ignore` comments right below it). */
  readonly nextLine: number;
}

/** The `// weave-ignore` comments of a TypeScript file, each a whole line. */
export function commentDirectives(file: string, text: string): CommentDirective[] {
  const span = spanFinder(file, text);
  const lines: { start: number; text: string }[] = [];
  for (let start = 0; start <= text.length; ) {
    const end = text.indexOf("\n", start);
    const stop = end < 0 ? text.length : end;
    lines.push({ start, text: text.slice(start, stop).replace(/\r$/, "") });
    if (end < 0) break;
    start = end + 1;
  }
  const found: CommentDirective[] = [];
  lines.forEach((line, k) => {
    const m = COMMENT.exec(line.text);
    if (!m) return;
    const restAt = line.start + line.text.length - m[1]!.length;
    const rest = m[1]!;
    const colon = rest.indexOf(":");
    const head = colon < 0 ? rest : rest.slice(0, colon);
    const reason = colon < 0 ? "" : rest.slice(colon + 1).trim();
    // rule ids before the colon; without one, the list of ids separated by commas that starts the comment (the
    // words after it are a reason written without its colon)
    const list = colon < 0 ? (/^\s*[^\s,]+(\s*,\s*[^\s,]+)*/.exec(head)?.[0] ?? "") : head;
    const named: { rule: string; span: Span }[] = [];
    for (const w of list.matchAll(/[^\s,]+/g)) named.push({ rule: w[0], span: span(restAt + w.index, restAt + w.index + w[0].length) });
    let next = k + 1;
    while (next < lines.length && COMMENT.test(lines[next]!.text)) next++;
    const commentAt = line.start + line.text.indexOf("//");
    found.push({ span: span(commentAt, line.start + line.text.length), rules: named, reason, nextLine: next + 1 });
  });
  return found;
}

/** The entries of a `lint.ignore` object with a string reason (other values are `invalid-template`'s finding). */
function ignoreEntries(
  target: LintTarget,
  lint: unknown,
  path: readonly (string | number)[],
): { rule: string; reason: string; span: Span }[] {
  if (!isObject(lint) || !isObject(lint.ignore)) return [];
  const out: { rule: string; reason: string; span: Span }[] = [];
  for (const [rule, reason] of Object.entries(lint.ignore)) {
    if (typeof reason !== "string") continue;
    out.push({ rule, reason: reason.trim(), span: target.locate([...path, rule]) });
  }
  return out;
}
