/**
 * @module The critical path of a run: the chain of steps that determined its wall time. From the last step to
 * finish, walk back to the dependency that finished last before it started (the one it was waiting for), and so on
 * until a step that waited for nothing. A skipped step in the chain stays in it (it passed the wait on, at once).
 */

export interface TimedStep {
  readonly id: string;
  readonly dependsOn: readonly string[];
  /** When the step started (its first attempt) or was skipped; unset when it never got there. */
  readonly start?: number;
  /** When it finished or was skipped. */
  readonly end?: number;
  /** Whether it ran (completed or failed), as opposed to being skipped. */
  readonly ran: boolean;
}

/** @returns step ids in execution order; empty when no step ran */
export function criticalPath(steps: readonly TimedStep[]): string[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  let current: TimedStep | undefined;
  for (const s of steps) if (s.ran && s.end !== undefined && (current === undefined || s.end > current.end!)) current = s;
  if (!current) return [];

  const path = [current.id];
  const seen = new Set(path);
  for (;;) {
    const start = current.start ?? current.end!;
    let next: TimedStep | undefined;
    for (const id of current.dependsOn) {
      const dep = byId.get(id);
      // every dependency finished before the step started; the latest of them is the one it waited for
      if (dep?.end === undefined || dep.end > start || seen.has(dep.id)) continue;
      if (next === undefined || dep.end > next.end! || (dep.end === next.end && dep.ran && !next.ran)) next = dep;
    }
    if (!next) break;
    path.push(next.id);
    seen.add(next.id);
    current = next;
  }
  return path.reverse();
}
