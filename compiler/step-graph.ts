/**
 * @module The dependency graph of a template's steps, analysed once per lint run and queried by every rule that
 * needs it: edges in compact arrays, duplicate ids, an execution order, the steps that can never start, each cycle
 * named, the strongly connected components, and reachability ("is step `a` ordered before step `b`?") answered for
 * a batch of pairs with bitsets. Every walk here is iterative (an explicit stack, never recursion), so neither the
 * number of steps nor the length of a chain or a cycle can overflow the call stack. Everything is linear in
 * steps + dependencies, except reachability, which costs that once per 32 distinct steps asked about (so a chain of
 * 10,000 steps where every step reads a step declared far before it costs 10,000 × 10,000 / 32 word operations,
 * never a set of ancestors per step).
 */

/** What the graph is built from: one entry per step, in template order. */
export interface GraphInput {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/** Steps are numbered by their position in the input. */
export interface StepGraph {
  readonly size: number;
  /** The first step with each id (a later step with the same id is a duplicate). */
  readonly indexOf: ReadonlyMap<string, number>;
  /** Each step whose id an earlier step already has, with that earlier step. */
  readonly duplicates: readonly { readonly index: number; readonly firstIndex: number }[];
  /** Distinct known dependencies of each step, in the order listed; a step's own id is left out. */
  readonly dependencies: readonly (readonly number[])[];
  /** Edges reversed, in CSR form: the dependents of step i are `dependents[dependentsStart[i] .. dependentsStart[i+1])`. */
  readonly dependentsStart: Int32Array;
  readonly dependents: Int32Array;
  /** The steps that can run, each after its dependencies (Kahn's order). Steps on or behind a cycle are not in it. */
  readonly order: Int32Array;
  /** 1 for a step on or behind a cycle: it can never start. */
  readonly stuck: Uint8Array;
  /** One cycle per tangle, its steps in execution order from its earliest step (the first step is not repeated). */
  readonly cycles: readonly (readonly number[])[];
  /** The strongly connected component of each step; components are numbered dependencies first. */
  readonly component: Int32Array;
  /** Steps of component c: `componentSteps[componentStart[c] .. componentStart[c+1])`. */
  readonly componentStart: Int32Array;
  readonly componentSteps: Int32Array;
}

/** Builds the graph and every structural fact about it, in time linear in steps + dependencies. */
export function buildStepGraph(steps: readonly GraphInput[]): StepGraph {
  const n = steps.length;
  const indexOf = new Map<string, number>();
  const duplicates: { index: number; firstIndex: number }[] = [];
  for (let i = 0; i < n; i++) {
    const first = indexOf.get(steps[i]!.id);
    if (first === undefined) indexOf.set(steps[i]!.id, i);
    else duplicates.push({ index: i, firstIndex: first });
  }

  const dependencies: number[][] = new Array(n);
  const inDegree = new Int32Array(n);
  const outDegree = new Int32Array(n);
  // listedBy[j] = i + 1 once step i has listed j: a dependency listed twice is dropped in O(1)
  const listedBy = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const step = steps[i]!;
    const deps: number[] = [];
    for (const dep of step.dependsOn) {
      const j = indexOf.get(dep);
      if (j === undefined || dep === step.id || listedBy[j] === i + 1) continue;
      listedBy[j] = i + 1;
      deps.push(j);
      outDegree[j]!++;
    }
    dependencies[i] = deps;
    inDegree[i] = deps.length;
  }
  const dependentsStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) dependentsStart[i + 1] = dependentsStart[i]! + outDegree[i]!;
  const dependents = new Int32Array(dependentsStart[n]!);
  const fill = dependentsStart.slice(0, n);
  for (let i = 0; i < n; i++) for (const j of dependencies[i]!) dependents[fill[j]!++] = i;

  // Kahn's algorithm: what it cannot remove lies on or behind a cycle
  const remaining = inDegree.slice();
  const order = new Int32Array(n);
  let done = 0;
  for (let i = 0; i < n; i++) if (remaining[i] === 0) order[done++] = i;
  for (let q = 0; q < done; q++) {
    const i = order[q]!;
    for (let e = dependentsStart[i]!; e < dependentsStart[i + 1]!; e++)
      if (--remaining[dependents[e]!]! === 0) order[done++] = dependents[e]!;
  }
  const stuck = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (remaining[i]! > 0) stuck[i] = 1;

  const graph = { size: n, indexOf, duplicates, dependencies, dependentsStart, dependents, order: order.slice(0, done), stuck };
  return { ...graph, cycles: done === n ? [] : findCycles(dependencies, stuck), ...components(dependencies) };
}

/**
 * One cycle per tangle of stuck steps: from each stuck step not yet explored (in template order), walk backwards
 * along the first stuck dependency until a step repeats; every stuck step has one. The walks follow a function of
 * the step, so a walk that reaches an explored step ends in a cycle already found and stops there: each step is
 * walked once. A cycle is named from its earliest step, in execution order.
 */
function findCycles(dependencies: readonly (readonly number[])[], stuck: Uint8Array): number[][] {
  const n = dependencies.length;
  const cycles: number[][] = [];
  const explored = new Uint8Array(n);
  const walkAt = new Int32Array(n).fill(-1);
  const walk: number[] = [];
  for (let start = 0; start < n; start++) {
    if (!stuck[start] || explored[start]) continue;
    walk.length = 0;
    let cur = start;
    while (!explored[cur] && walkAt[cur]! < 0) {
      walkAt[cur] = walk.length;
      walk.push(cur);
      cur = dependencies[cur]!.find((d) => stuck[d] === 1)!;
    }
    const closes = !explored[cur];
    const from = closes ? walkAt[cur]! : walk.length;
    for (const i of walk) {
      explored[i] = 1;
      walkAt[i] = -1;
    }
    if (!closes) continue;
    const loop = walk.slice(from).reverse(); // dependency first: execution order
    let first = 0;
    for (let k = 1; k < loop.length; k++) if (loop[k]! < loop[first]!) first = k;
    cycles.push([...loop.slice(first), ...loop.slice(0, first)]);
  }
  return cycles;
}

/**
 * Tarjan's strongly connected components with an explicit stack. Edges go from a step to its dependencies, so a
 * component is completed only after every component it depends on: the numbering is an execution order of the
 * components.
 */
function components(dependencies: readonly (readonly number[])[]): Pick<StepGraph, "component" | "componentStart" | "componentSteps"> {
  const n = dependencies.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const nextEdge = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n);
  const componentSteps = new Int32Array(n);
  const starts: number[] = [0];
  const stack: number[] = [];
  const frames: number[] = [];
  let counter = 0;
  let placed = 0;
  const enter = (v: number): void => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = 1;
    frames.push(v);
  };
  for (let root = 0; root < n; root++) {
    if (index[root]! >= 0) continue;
    enter(root);
    while (frames.length > 0) {
      const v = frames[frames.length - 1]!;
      const deps = dependencies[v]!;
      if (nextEdge[v]! < deps.length) {
        const w = deps[nextEdge[v]!++]!;
        if (index[w]! < 0) enter(w);
        else if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
        continue;
      }
      frames.pop();
      if (low[v] === index[v]) {
        const c = starts.length - 1;
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = c;
          componentSteps[placed++] = w;
        } while (w !== v);
        starts.push(placed);
      }
      const parent = frames[frames.length - 1];
      if (parent !== undefined && low[v]! < low[parent]!) low[parent] = low[v]!;
    }
  }
  return { component, componentStart: Int32Array.from(starts), componentSteps };
}

/** One question for {@link orderPairs}: is `source` ordered before `reader` (an ancestor of it)? */
export interface OrderQuestion {
  readonly source: number;
  readonly reader: number;
}

/** The answers of {@link orderPairs}, by question. */
export interface OrderAnswers {
  /** 1 when the source is ordered before the reader. */
  readonly ordered: Uint8Array;
  /** For an ordered pair: the reader's first dependency (in `dependencies` order) that is the source or comes after it. */
  readonly via: Int32Array;
}

/** Sources answered per pass: rows of 32 words per component bound the memory to 128 bytes per component. */
const WORDS_PER_PASS = 32;

/**
 * Answers a batch of "is `source` ordered before `reader`?" questions. Two steps of one component (a cycle) reach each
 * other. Otherwise one pass in component order propagates, per component, a bitset of the asked-about source
 * components it depends on, directly or not; 32 × {@link WORDS_PER_PASS} sources share a pass.
 */
export function orderPairs(graph: StepGraph, questions: readonly OrderQuestion[]): OrderAnswers {
  const { component, componentStart, componentSteps, dependencies } = graph;
  const ordered = new Uint8Array(questions.length);
  const via = new Int32Array(questions.length).fill(-1);
  const components = componentStart.length - 1;
  const bitOf = new Int32Array(components).fill(-1);
  const sources: number[] = [];
  const pending: number[] = [];
  questions.forEach(({ source, reader }, q) => {
    if (source === reader) return;
    const cs = component[source]!;
    const cr = component[reader]!;
    if (cs === cr) {
      // a cycle: every step of it reaches every other, and so does each dependency of the reader inside it
      ordered[q] = 1;
      via[q] = dependencies[reader]!.find((d) => component[d] === cs) ?? -1;
    } else if (cs < cr) {
      // a dependency is always numbered before its dependents: anything else cannot be ordered before
      if (bitOf[cs] === -1) {
        bitOf[cs] = -2; // asked about; given a bit in its pass
        sources.push(cs);
      }
      pending.push(q);
    }
  });
  if (pending.length === 0) return { ordered, via };

  const perPass = WORDS_PER_PASS * 32;
  for (let first = 0; first < sources.length; first += perPass) {
    const batch = sources.slice(first, first + perPass);
    const words = Math.ceil(batch.length / 32);
    batch.forEach((c, b) => (bitOf[c] = b));
    const rows = new Int32Array(components * words);
    for (let c = 0; c < components; c++) {
      const row = c * words;
      for (let k = componentStart[c]!; k < componentStart[c + 1]!; k++) {
        for (const d of dependencies[componentSteps[k]!]!) {
          const cd = component[d]!;
          if (cd === c) continue;
          const from = cd * words;
          for (let w = 0; w < words; w++) rows[row + w] = rows[row + w]! | rows[from + w]!;
          const bit = bitOf[cd]!;
          if (bit >= 0) rows[row + (bit >> 5)] = rows[row + (bit >> 5)]! | (1 << (bit & 31));
        }
      }
    }
    const has = (c: number, bit: number): boolean => (rows[c * words + (bit >> 5)]! & (1 << (bit & 31))) !== 0;
    for (const q of pending) {
      const { source, reader } = questions[q]!;
      const cs = component[source]!;
      const bit = bitOf[cs]!;
      if (bit < 0 || !has(component[reader]!, bit)) continue;
      ordered[q] = 1;
      for (const d of dependencies[reader]!) {
        if (component[d] === cs || has(component[d]!, bit)) {
          via[q] = d;
          break;
        }
      }
    }
    for (const c of batch) bitOf[c] = -3; // answered
  }
  return { ordered, via };
}
