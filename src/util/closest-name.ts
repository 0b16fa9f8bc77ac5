/** @module "did you mean": edit distance between names, the closest candidate, and quoted lists for messages. */

/** Levenshtein distance, with a swap of two neighbouring characters counted as one edit. */
export function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, prev2[j - 2]! + 1);
      row.push(best);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** The candidate closest to `wanted` (ignoring case), if close enough to be a typo; ties go to the earliest. */
export function closest(wanted: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    if (name === wanted) continue;
    const distance = editDistance(wanted.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** `"a", "b", "c"`, cut after `max` names with `, ...`; `none` when empty. */
export function quoteList(names: Iterable<string>, max = 10): string {
  const all = [...names];
  if (all.length === 0) return "none";
  const shown = all.slice(0, max).map((n) => `"${n}"`);
  return all.length > max ? `${shown.join(", ")}, ...` : shown.join(", ");
}
