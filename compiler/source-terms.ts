/**
 * @module How a DSL file names what a template names with placeholders, for messages and suggestions that must be
 * in the source's terms: the variable a step is bound to (`apply` for `const apply = step("deploy")`), so a rule can
 * suggest `apply.error` or `apply.out.url` rather than `{{deploy.error}}`. Template files have no such names.
 */
import type { PathSegment } from "../src/placeholder/path.js";
import type { LintTarget } from "./lint-target.js";
import { outputReferences, referencesOf } from "./step-facts.js";
import type { RuleContext } from "./rules/rule.js";

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * The DSL expression a reference was written as, up to its step: `apply` for `apply.out.resource_id` (or
 * `apply?.out.x`), undefined when the source wrote the placeholder itself (`"{{deploy.resource_id}}"`).
 */
export function stepExpressionOf(written: string): string | undefined {
  const at = written.replace(/\?\./g, ".").indexOf(".out");
  if (at <= 0) return undefined;
  const head = written.replace(/\?\./g, ".").slice(0, at);
  return IDENT.test(head) ? head : undefined;
}

/** A path as DSL property accesses: `.items[0].id`. */
export function dslPath(path: readonly PathSegment[]): string {
  return path.map((seg) => (typeof seg === "number" ? `[${seg}]` : IDENT.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`)).join("");
}

const cache = new WeakMap<LintTarget, ReadonlyMap<string, string>>();

/**
 * The variable each step of a DSL workflow is bound to, by step id: read from the references the file writes
 * (`apply.out.url` names step "deploy" through `apply`), else from its declaration (`const apply = step("deploy")`).
 * Empty for a template file. A step bound to no variable (`build.then(step("push")...)`) is not in the map.
 */
export function stepVariables(context: RuleContext<string>): ReadonlyMap<string, string> {
  const target = context.target;
  const known = cache.get(target);
  if (known) return known;
  const names = new Map<string, string>();
  if (target.origin === "ts") {
    const sites = [...context.steps.flatMap((s) => referencesOf(s)), ...outputReferences(target.template)];
    for (const site of sites) {
      if (names.has(site.ref.root) || !context.stepById.has(site.ref.root)) continue;
      const name = stepExpressionOf(context.written(site));
      if (name !== undefined) names.set(site.ref.root, name);
    }
    for (const step of context.steps) {
      if (names.has(step.id)) continue;
      const at = target.locate(["steps", step.index, "id"]).start.offset;
      const before = target.text.slice(Math.max(0, at - 200), at);
      const declared = /(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;]*)?=\s*step\(\s*$/.exec(before);
      if (declared) names.set(step.id, declared[1]!);
    }
  }
  cache.set(target, names);
  return names;
}
