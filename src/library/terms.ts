/**
 * @module The words the library's search indexes and looks for: identifiers split into words (`github_pr_workflow`,
 * `deployToStaging`, `kubectl-apply`), lowercase, without stop words, and reduced by a light suffix stripper so
 * `deployments`, `deploying` and `deployed` all find `deploy`. The same functions process documents and queries.
 */

const STOP_WORDS = new Set([
  "a",
  "an",
  "and",
  "as",
  "at",
  "by",
  "for",
  "from",
  "in",
  "into",
  "is",
  "it",
  "of",
  "on",
  "or",
  "the",
  "then",
  "to",
  "with",
]);

/** Splits text into words: on anything but letters and digits, and at camelCase boundaries (`HTTPServer` → HTTP, Server). */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.split(/[^\p{L}\p{N}]+/u)) {
    if (chunk === "") continue;
    for (const word of chunk.split(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u)) if (word !== "") out.push(word);
  }
  return out;
}

/**
 * Reduces a word to the form the index keeps, or `null` for a stop word. Conservative on purpose: only plurals
 * and the `-ing`, `-ed`, `-ment` endings, and only when at least four letters remain; prefix and fuzzy matching
 * cover the rest (`releas` still finds `release`).
 */
export function normalizeTerm(word: string): string | null {
  const term = word.toLowerCase();
  if (STOP_WORDS.has(term)) return null;
  if (term.length > 4 && term.endsWith("ies")) return `${term.slice(0, -3)}y`;
  for (const suffix of ["ments", "ment", "ing", "ed"]) {
    if (term.endsWith(suffix) && term.length - suffix.length >= 4) return term.slice(0, -suffix.length);
  }
  if (term.length > 3 && term.endsWith("s") && !/(ss|us|is)$/.test(term)) return term.slice(0, -1);
  return term;
}

/** The terms of a text as the index sees them. */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) {
    const term = normalizeTerm(word);
    if (term !== null) out.push(term);
  }
  return out;
}
