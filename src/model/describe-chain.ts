/**
 * @module How messages name a chain that comes back to where it started (a dependency cycle `a -> b -> a`, a
 * sub-workflow recursion `deploy -> release -> deploy`): in full when short, else by its first names, how many are
 * left out, and its last name, so a cycle of 10,000 steps is still a one-line message.
 */

/** Chains of more names than this (not counting the repeated first one) are shortened. */
export const NAMED_IN_FULL = 8;
/** How many names a shortened chain shows before the `...`. */
const SHOWN = 5;

/**
 * `a -> b -> c`, or `a -> b -> c -> d -> e -> ... (n more) -> y -> a` for a long chain. `names` ends with the first
 * name again.
 */
export function describeChain(names: readonly string[]): string {
  const distinct = names.length - 1;
  if (distinct <= NAMED_IN_FULL) return names.join(" -> ");
  return [...names.slice(0, SHOWN), `... (${distinct - SHOWN - 1} more)`, ...names.slice(distinct - 1)].join(" -> ");
}

/** Whether {@link describeChain} shortens a chain of these names. */
export const isLongChain = (names: readonly string[]): boolean => names.length - 1 > NAMED_IN_FULL;
