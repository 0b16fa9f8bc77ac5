/**
 * @module Full-text search over workflows: name, tags, tool names, category and description, each split into
 * words (see terms.ts). The term dictionary is MiniSearch's radix tree (`SearchableMap`), which finds the indexed
 * words a query word matches exactly, as a prefix, or within a few typos (Levenshtein). Scoring is BM25 with field
 * boosts, accumulated in typed arrays: MiniSearch's own `search()` builds an object per matching document and was
 * ~5x over the 1 ms budget for broad queries over 10,000 workflows (bench/library.bench.ts compares both).
 *
 * Ranking: more distinct query words matched first, then higher score, then name.
 */
import SearchableMap from "minisearch/SearchableMap";
import { EXECUTE_WORKFLOW } from "../model/compile-step.js";
import type { WorkflowTemplate } from "../model/template.js";
import { termsOf } from "./terms.js";

/** How much a match in each field counts, relative to the description. */
export const FIELD_BOOSTS = { name: 3, tags: 2, tools: 2, category: 1.5, description: 1 } as const;

type Field = keyof typeof FIELD_BOOSTS;

/** Typical length in words of each field: BM25's length normalization (fixed, so scores do not depend on insertion order). */
const TYPICAL_LENGTH: Readonly<Record<Field, number>> = { name: 3, tags: 3, tools: 8, category: 1, description: 15 };
const BM25 = { k: 1.2, b: 0.7 };
/** Weight of a prefix or fuzzy match relative to an exact one (MiniSearch's defaults). */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_QUERY_TERMS = 30;

/** Typos (Levenshtein edits; a swap of two letters is two) allowed per query word: none up to 3 letters, one for 4 or 5, two beyond. */
export const fuzziness = (term: string): number => (term.length <= 3 ? 0 : term.length <= 5 ? 1 : 2);

/** A query word matches as a prefix of indexed words from 2 letters on (`depl` finds `deploy`). */
const PREFIX_MIN = 2;

/** The tools a workflow's own steps call (not `execute_workflow`), each once, in step order. */
export function toolsOf(template: WorkflowTemplate): string[] {
  const tools = new Set<string>();
  for (const step of template.steps) if (step.toolName !== EXECUTE_WORKFLOW) tools.add(step.toolName);
  return [...tools];
}

export interface SearchHit {
  readonly template: WorkflowTemplate;
  readonly score: number;
  /** Distinct query words (normalized) that matched. */
  readonly matched: number;
}

/** The documents containing one indexed word, with the word's field-weighted BM25 term weight in each. */
interface Posting {
  readonly slots: number[];
  readonly weights: number[];
}

interface Doc {
  readonly template: WorkflowTemplate;
  readonly terms: readonly string[];
}

/** A document's words and their weights: Σ over fields of boost × BM25 term-frequency part. */
function weighTerms(template: WorkflowTemplate): Map<string, number> {
  const fields: Record<Field, string> = {
    name: template.name,
    tags: template.tags.join(" "),
    tools: toolsOf(template).join(" "),
    category: template.category,
    description: template.description,
  };
  const weights = new Map<string, number>();
  for (const field of Object.keys(fields) as Field[]) {
    const terms = termsOf(fields[field]);
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    const norm = BM25.k * (1 - BM25.b + (BM25.b * terms.length) / TYPICAL_LENGTH[field]);
    for (const [t, tf] of counts) weights.set(t, (weights.get(t) ?? 0) + (FIELD_BOOSTS[field] * tf * (BM25.k + 1)) / (tf + norm));
  }
  return weights;
}

/** Sort keys: 5 bits of missed words, 27 of score, 21 of name rank: exact in a double. */
const SCORE_BITS = 2 ** 27;
const NAME_BITS = 2 ** 21;
/** Most workflows the index holds (the name rank must fit its bits). */
export const MAX_INDEXED = NAME_BITS;

export class SearchIndex {
  readonly #dictionary = new SearchableMap<Posting>();
  readonly #docs: (Doc | undefined)[] = [];
  readonly #slotOf = new Map<string, number>();
  readonly #free: number[] = [];
  #scores = new Float64Array(0);
  #masks = new Uint32Array(0);
  #allowedStamp = new Uint32Array(0);
  #stamp = 0;
  #names: { rankOf: Uint32Array; slotAt: Uint32Array } | undefined;

  get size(): number {
    return this.#slotOf.size;
  }

  /** Adds the workflow, or replaces the one of the same name. */
  set(template: WorkflowTemplate): void {
    this.delete(template.name);
    if (this.size >= MAX_INDEXED) throw new RangeError(`the search index holds at most ${MAX_INDEXED} workflows`);
    this.#names = undefined;
    const slot = this.#free.pop() ?? this.#docs.length;
    const weights = weighTerms(template);
    this.#docs[slot] = { template, terms: [...weights.keys()] };
    this.#slotOf.set(template.name, slot);
    for (const [term, weight] of weights) {
      const posting = this.#dictionary.fetch(term, () => ({ slots: [], weights: [] }));
      posting.slots.push(slot);
      posting.weights.push(weight);
    }
    if (this.#scores.length < this.#docs.length) this.#grow(Math.max(64, this.#docs.length * 2));
  }

  delete(name: string): void {
    const slot = this.#slotOf.get(name);
    if (slot === undefined) return;
    for (const term of this.#docs[slot]!.terms) {
      const posting = this.#dictionary.get(term)!;
      const i = posting.slots.indexOf(slot);
      const last = posting.slots.length - 1;
      posting.slots[i] = posting.slots[last]!;
      posting.weights[i] = posting.weights[last]!;
      posting.slots.pop();
      posting.weights.pop();
      if (last === 0) this.#dictionary.delete(term);
    }
    this.#docs[slot] = undefined;
    this.#slotOf.delete(name);
    this.#names = undefined;
    this.#free.push(slot);
  }

  /**
   * The workflows matching any word of `query`, best first. `allowed`, when given, keeps only those names (the
   * filters). Empty when the query has no words (only stop words, or none).
   */
  search(query: string, allowed?: ReadonlySet<string>): SearchHit[] {
    const words = [...new Set(termsOf(query))].slice(0, MAX_QUERY_TERMS);
    if (words.length === 0 || this.size === 0) return [];
    const stamp = allowed ? this.#stampAllowed(allowed) : 0;
    const scores = this.#scores;
    const masks = this.#masks;
    const touched: number[] = [];
    const total = this.size;
    words.forEach((word, i) => {
      const bit = 1 << i;
      for (const [term, factor] of this.#matches(word)) {
        const posting = this.#dictionary.get(term)!;
        const df = posting.slots.length;
        const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
        const slots = posting.slots;
        const weights = posting.weights;
        for (let p = 0; p < slots.length; p++) {
          const slot = slots[p]!;
          if (stamp !== 0 && this.#allowedStamp[slot] !== stamp) continue;
          if (masks[slot] === 0) touched.push(slot);
          masks[slot]! |= bit;
          scores[slot]! += factor * idf * weights[p]!;
        }
      }
    });
    const hits = this.#rank(touched);
    for (const slot of touched) {
      scores[slot] = 0;
      masks[slot] = 0;
    }
    return hits;
  }

  /** The workflows named in `names` (all without it), sorted by name. */
  inNameOrder(names?: Iterable<string>): WorkflowTemplate[] {
    const { rankOf, slotAt } = this.#nameOrder();
    if (!names) return Array.from(slotAt, (slot) => this.#docs[slot]!.template);
    const ranks: number[] = [];
    for (const name of names) {
      const slot = this.#slotOf.get(name);
      if (slot !== undefined) ranks.push(rankOf[slot]!);
    }
    return Array.from(Uint32Array.from(ranks).sort(), (rank) => this.#docs[slotAt[rank]!]!.template);
  }

  /** The indexed words `word` matches, with the weight of the match: 1 exact, less for a prefix or a typo. */
  #matches(word: string): Map<string, number> {
    const found = new Map<string, number>();
    if (this.#dictionary.has(word)) found.set(word, 1);
    if (word.length >= PREFIX_MIN) {
      for (const term of this.#dictionary.atPrefix(word).keys()) {
        if (term !== word) found.set(term, (PREFIX_WEIGHT * word.length) / (word.length + 0.3 * (term.length - word.length)));
      }
    }
    const typos = fuzziness(word);
    if (typos > 0) {
      for (const [term, [, distance]] of this.#dictionary.fuzzyGet(word, typos)) {
        if (!found.has(term)) found.set(term, (FUZZY_WEIGHT * word.length) / (word.length + distance));
      }
    }
    return found;
  }

  /**
   * Sorts the matched slots with one native numeric sort: each key packs the number of query words missed, the
   * score (quantized to 27 bits, relative to the best) and the rank of the name in name order.
   */
  #rank(touched: readonly number[]): SearchHit[] {
    const scores = this.#scores;
    const masks = this.#masks;
    const { rankOf, slotAt } = this.#nameOrder();
    let best = 0;
    for (const slot of touched) best = Math.max(best, scores[slot]!);
    const keys = new Float64Array(touched.length);
    for (let i = 0; i < touched.length; i++) {
      const slot = touched[i]!;
      const q = best > 0 ? Math.floor((scores[slot]! / best) * (SCORE_BITS - 1)) : 0;
      keys[i] = ((MAX_QUERY_TERMS + 1 - popcount(masks[slot]!)) * SCORE_BITS + (SCORE_BITS - 1 - q)) * NAME_BITS + rankOf[slot]!;
    }
    keys.sort();
    const hits: SearchHit[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const slot = slotAt[keys[i]! % NAME_BITS]!;
      hits[i] = { template: this.#docs[slot]!.template, score: scores[slot]!, matched: popcount(masks[slot]!) };
    }
    return hits;
  }

  /** Each slot's rank in name order, and the slot at each rank; recomputed after changes, at the next search. */
  #nameOrder(): { rankOf: Uint32Array; slotAt: Uint32Array } {
    if (!this.#names) {
      const slots = [...this.#slotOf.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, slot]) => slot);
      const rankOf = new Uint32Array(this.#docs.length);
      slots.forEach((slot, rank) => (rankOf[slot] = rank));
      this.#names = { rankOf, slotAt: Uint32Array.from(slots) };
    }
    return this.#names;
  }

  #stampAllowed(allowed: ReadonlySet<string>): number {
    this.#stamp = this.#stamp === 0xffffffff ? 1 : this.#stamp + 1;
    if (this.#stamp === 1) this.#allowedStamp.fill(0);
    for (const name of allowed) {
      const slot = this.#slotOf.get(name);
      if (slot !== undefined) this.#allowedStamp[slot] = this.#stamp;
    }
    return this.#stamp;
  }

  #grow(capacity: number): void {
    const scores = new Float64Array(capacity);
    scores.set(this.#scores);
    const masks = new Uint32Array(capacity);
    masks.set(this.#masks);
    const stamps = new Uint32Array(capacity);
    stamps.set(this.#allowedStamp);
    this.#scores = scores;
    this.#masks = masks;
    this.#allowedStamp = stamps;
  }
}

function popcount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
