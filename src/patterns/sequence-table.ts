/**
 * @module Counting tool sequences without allocating per call: tool ids are small integers, a sequence of up to
 * `maxLength` ids is one number (its digits in base `distinct tools + 1`, so sequences of different lengths never
 * collide), looked up in an open-addressing hash table over typed arrays; the statistics live in parallel typed
 * arrays indexed by sequence. When `base ** maxLength` would pass 2^53 the table switches to string keys.
 */

const MAX_CODE = 2 ** 53;
const EMPTY = 0;

/** Called for an occurrence whose sequence has been seen at most `sampleSize` times so far. */
export type Sampler = (index: number, start: number, length: number) => void;

export class SequenceTable {
  readonly maxLength: number;
  /** Number of distinct sequences. */
  size = 0;
  /** Occurrences, fully successful occurrences and summed durations, by sequence index. */
  count = new Float64Array(1024);
  success = new Float64Array(1024);
  duration = new Float64Array(1024);
  readonly #lengths: number[] = [];
  #base = 16;
  #numeric: boolean;
  #codes = new Float64Array(1024);
  /** Slot -> sequence index + 1 (0: empty); `#slotCodes` holds each slot's code. */
  #slots = new Int32Array(2048);
  #slotCodes = new Float64Array(2048);
  #mask = 2047;
  /** String mode: "3,17,2" -> sequence index. */
  #byKey: Map<string, number> | undefined;
  #keys: string[] = [];

  constructor(maxLength: number) {
    this.maxLength = maxLength;
    this.#numeric = this.#fits(this.#base);
    if (!this.#numeric) this.#byKey = new Map();
  }

  /** Makes room for tool id `id` (ids start at 1). */
  ensureId(id: number): void {
    if (id < this.#base) return;
    let base = this.#base;
    while (base <= id) base *= 2;
    if (this.#numeric && !this.#fits(base)) this.#toStrings();
    const old = this.#base;
    this.#base = base;
    if (this.#numeric) this.#reencode(old);
  }

  /**
   * Counts every window of 2..maxLength consecutive calls of `ids[0..n)` that ends at or after `from` (earlier
   * windows were counted before: `ids[0..from)` is context carried over from a previous batch of the session).
   */
  countWindows(
    ids: Int32Array,
    ok: Uint8Array,
    dur: Float64Array,
    n: number,
    from: number,
    sampleSize: number,
    sampler: Sampler | undefined,
  ): void {
    const L = this.maxLength;
    const numeric = this.#numeric;
    const base = this.#base;
    for (let i = Math.max(0, from - L + 1); i < n - 1; i++) {
      let code = ids[i]!;
      let key = numeric ? "" : String(code);
      let allOk = ok[i]!;
      let sum = dur[i]!;
      const end = Math.min(n, i + L);
      for (let j = i + 1; j < end; j++) {
        allOk &= ok[j]!;
        sum += dur[j]!;
        let index: number;
        if (numeric) {
          code = code * base + ids[j]!;
          if (j < from) continue;
          index = this.#upsertCode(code, j - i + 1);
        } else {
          key += `,${ids[j]!}`;
          if (j < from) continue;
          index = this.#upsertKey(key, j - i + 1);
        }
        const c = ++this.count[index]!;
        this.success[index]! += allOk;
        this.duration[index]! += sum;
        if (c <= sampleSize && sampler) sampler(index, i, j - i + 1);
      }
    }
  }

  lengthOf(index: number): number {
    return this.#lengths[index]!;
  }

  /** The tool ids of sequence `index`. */
  idsOf(index: number): number[] {
    if (!this.#numeric) return this.#keys[index]!.split(",").map(Number);
    const n = this.#lengths[index]!;
    const out = new Array<number>(n);
    let code = this.#codes[index]!;
    for (let k = n - 1; k >= 0; k--) {
      const d = code % this.#base;
      out[k] = d;
      code = (code - d) / this.#base;
    }
    return out;
  }

  /** The index of the sequence `ids`, or -1 when it was never counted. */
  find(ids: readonly number[]): number {
    if (!this.#numeric) return this.#byKey!.get(ids.join(",")) ?? -1;
    if (ids.some((id) => id >= this.#base)) return -1;
    let code = 0;
    for (const id of ids) code = code * this.#base + id;
    let slot = hash(code) & this.#mask;
    for (;;) {
      const s = this.#slots[slot]!;
      if (s === EMPTY) return -1;
      if (this.#slotCodes[slot] === code) return s - 1;
      slot = (slot + 1) & this.#mask;
    }
  }

  #fits(base: number): boolean {
    return base ** this.maxLength <= MAX_CODE;
  }

  #upsertCode(code: number, length: number): number {
    let slot = hash(code) & this.#mask;
    for (;;) {
      const s = this.#slots[slot]!;
      if (s === EMPTY) break;
      if (this.#slotCodes[slot] === code) return s - 1;
      slot = (slot + 1) & this.#mask;
    }
    const index = this.#add(length);
    this.#codes[index] = code;
    this.#slots[slot] = index + 1;
    this.#slotCodes[slot] = code;
    if (this.size * 2 > this.#mask) this.#rehash(this.#slots.length * 2);
    return index;
  }

  #upsertKey(key: string, length: number): number {
    const found = this.#byKey!.get(key);
    if (found !== undefined) return found;
    const index = this.#add(length);
    this.#keys[index] = key;
    this.#byKey!.set(key, index);
    return index;
  }

  #add(length: number): number {
    const index = this.size++;
    if (index === this.count.length) {
      const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.count = grow(this.count);
      this.success = grow(this.success);
      this.duration = grow(this.duration);
      this.#codes = grow(this.#codes);
    }
    this.#lengths[index] = length;
    return index;
  }

  #rehash(capacity: number): void {
    this.#slots = new Int32Array(capacity);
    this.#slotCodes = new Float64Array(capacity);
    this.#mask = capacity - 1;
    for (let index = 0; index < this.size; index++) {
      const code = this.#codes[index]!;
      let slot = hash(code) & this.#mask;
      while (this.#slots[slot] !== EMPTY) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = index + 1;
      this.#slotCodes[slot] = code;
    }
  }

  /** After the base grew: every code rewritten in the new base. */
  #reencode(oldBase: number): void {
    const base = this.#base;
    for (let index = 0; index < this.size; index++) {
      let code = this.#codes[index]!;
      let next = 0;
      let scale = 1;
      for (let k = 0; k < this.#lengths[index]!; k++) {
        const d = code % oldBase;
        code = (code - d) / oldBase;
        next += d * scale;
        scale *= base;
      }
      this.#codes[index] = next;
    }
    this.#rehash(this.#slots.length);
  }

  #toStrings(): void {
    this.#byKey = new Map();
    for (let index = 0; index < this.size; index++) {
      const key = this.idsOf(index).join(",");
      this.#keys[index] = key;
      this.#byKey.set(key, index);
    }
    this.#numeric = false;
    this.#slots = new Int32Array(0);
    this.#slotCodes = new Float64Array(0);
  }
}

/** A 32-bit mix of an integer code below 2^53. */
function hash(code: number): number {
  const lo = code >>> 0;
  const hi = (code / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
