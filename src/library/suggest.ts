/**
 * @module Ranking workflows by the tools a caller uses (`suggestForTools`). Score of a workflow: `matched`, the
 * number of distinct given tools its own steps call; then `share`, matched ÷ the number of distinct tools it calls
 * (1 when it needs nothing else); ties by name. Only workflows with at least one match are returned.
 */
import type { WorkflowTemplate } from "../model/template.js";

export interface ToolMatch {
  readonly workflow: WorkflowTemplate;
  /** The given tools the workflow calls, in the workflow's step order. */
  readonly matchedTools: readonly string[];
  /** `matchedTools.length`. */
  readonly matched: number;
  /** matched ÷ the workflow's distinct tools, in (0, 1]. */
  readonly share: number;
}

/**
 * @param usersOf the names of the workflows calling a tool
 * @param entry the workflow of a name and its distinct tools
 */
export function rankForTools(
  toolNames: readonly string[],
  usersOf: (tool: string) => Iterable<string> | undefined,
  entry: (name: string) => { readonly template: WorkflowTemplate; readonly tools: readonly string[] },
): ToolMatch[] {
  const wanted = new Set(toolNames);
  const candidates = new Set<string>();
  for (const tool of wanted) for (const name of usersOf(tool) ?? []) candidates.add(name);
  const matches: ToolMatch[] = [];
  for (const name of candidates) {
    const { template, tools } = entry(name);
    const matchedTools = tools.filter((t) => wanted.has(t));
    matches.push({ workflow: template, matchedTools, matched: matchedTools.length, share: matchedTools.length / tools.length });
  }
  return matches.sort(
    (a, b) =>
      b.matched - a.matched || b.share - a.share || (a.workflow.name < b.workflow.name ? -1 : a.workflow.name > b.workflow.name ? 1 : 0),
  );
}
