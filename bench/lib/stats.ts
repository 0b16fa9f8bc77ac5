/** Small helpers for the benchmark report: order statistics, number formatting, Markdown tables. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("median of no values");
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const min = (xs: readonly number[]): number => Math.min(...xs);
export const max = (xs: readonly number[]): number => Math.max(...xs);

/** A number with `digits` significant-ish decimals: 0.00123 -> "0.0012", 12.345 -> "12.35", 1234 -> "1234". */
export function num(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && a < 0.01) return x.toPrecision(2);
  if (a >= 1000) return x.toFixed(0);
  return x.toFixed(digits);
}

/** "median (min–max)" of a sample. */
export function spread(xs: readonly number[], digits = 2): string {
  return `${num(median(xs), digits)} (${num(min(xs), digits)}–${num(max(xs), digits)})`;
}

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

export function table(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly ("l" | "r")[]): string {
  const sep = headers.map((_, i) => ((align?.[i] ?? (i === 0 ? "l" : "r")) === "r" ? "---:" : ":---"));
  return [headers, sep, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}
