// Values JSON cannot take as they are, for the tests of redaction, the tool-call log and the CLI's printing:
// each factory makes a fresh one (so a test may mutate or cycle it), and `hostileValue` mixes them into
// fast-check's own values at any depth.
import fc from "fast-check";

const trap = (): never => {
  throw new Error("trap");
};

class MessageGetterError extends Error {
  override get message(): string {
    throw new Error("no message for you");
  }
}

export const HOSTILE: Record<string, () => unknown> = {
  "a getter that throws": () =>
    Object.defineProperty({ ok: 1 }, "boom", {
      enumerable: true,
      get: () => {
        throw new Error("getter exploded");
      },
    }),
  "a getter that throws a Proxy": () =>
    Object.defineProperty({}, "boom", {
      enumerable: true,
      get: () => {
        throw new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap });
      },
    }),
  "a getter that throws an Error whose message getter throws": () =>
    Object.defineProperty({}, "boom", {
      enumerable: true,
      get: () => {
        throw new MessageGetterError();
      },
    }),
  "a Proxy whose traps all throw": () =>
    new Proxy(
      {},
      { get: trap, getPrototypeOf: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, has: trap, set: trap, defineProperty: trap },
    ),
  "a Proxy of an array whose length throws": () =>
    new Proxy([1, 2, 3], { get: (target, key) => (key === "length" ? trap() : Reflect.get(target, key)) }),
  "a revoked Proxy": () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  "a BigInt": () => 12345678901234567890n,
  "a boxed BigInt": () => Object(5n) as object,
  "a null-prototype object holding a BigInt": () => Object.assign(Object.create(null) as object, { amount: 10n }),
  "a toJSON that throws": () => ({
    toJSON: () => {
      throw new Error("no JSON for you");
    },
  }),
  "a toJSON that returns a BigInt": () => ({ toJSON: () => 7n }),
  "a toJSON that returns a cycle": () => ({
    toJSON: () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      return cyclic;
    },
  }),
  "a cycle": () => {
    const root: Record<string, unknown> = { name: "root", password: "p" };
    root.self = root;
    root.children = [{ parent: root }];
    return root;
  },
  "an object 5,000 levels deep": () => {
    let value: unknown = { token: "t" };
    for (let i = 0; i < 5_000; i++) value = { d: value };
    return value;
  },
  "an array 5,000 levels deep": () => {
    let value: unknown = [];
    for (let i = 0; i < 5_000; i++) value = [value];
    return value;
  },
  "an object reached 2^40 ways (no cycle)": () => {
    let value: unknown = { leaf: 1 };
    for (let i = 0; i < 40; i++) value = { a: value, b: value };
    return value;
  },
  "a sparse array 4 billion long": () => {
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = "end";
    return sparse;
  },
  "a __proto__ key": () => JSON.parse('{"__proto__": {"password": "p", "n": 1}}') as unknown,
  "a function, a symbol and undefined": () => ({ f: () => 1, s: Symbol("s"), u: undefined, list: [undefined, () => 1, Symbol("t")] }),
  "an invalid Date": () => ({ when: new Date(Number.NaN) }),
};

/** The factories whose values take the whole value budget (a million values) to copy: tested one by one. */
export const EXPENSIVE = new Set(["an object reached 2^40 ways (no cycle)", "a sparse array 4 billion long"]);

const cheap = Object.entries(HOSTILE).filter(([name]) => !EXPENSIVE.has(name));

const anythingOptions = {
  withBigInt: true,
  withNullPrototype: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withBoxedValues: true,
  withDate: true,
  maxDepth: 3,
} as const;

type Recipe =
  | { readonly value: unknown }
  | { readonly make: () => unknown; readonly name: string }
  | { readonly items: readonly Recipe[] }
  | { readonly entries: readonly (readonly [string, Recipe])[] };

function build(recipe: Recipe): unknown {
  if ("make" in recipe) return recipe.make();
  if ("items" in recipe) return recipe.items.map(build);
  if ("entries" in recipe) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of recipe.entries)
      Object.defineProperty(out, key, { value: build(item), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return recipe.value;
}

/**
 * fast-check's values of every kind with hostile ones anywhere inside, as `{ value }`: fast-check itself reads the
 * values it generates (a revoked Proxy would throw there), so the hostile part is built inside a plain holder.
 */
export function hostileValue(): fc.Arbitrary<{ readonly value: unknown }> {
  const { tree } = fc.letrec<{ tree: Recipe }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.anything(anythingOptions).map((value): Recipe => ({ value })),
      fc.constantFrom(...cheap).map(([name, make]): Recipe => ({ make, name })),
      fc.array(tie("tree"), { maxLength: 4 }).map((items): Recipe => ({ items })),
      fc
        .array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom("token", "Password", "apiKey", "__proto__", "toJSON")), tie("tree")), {
          maxLength: 4,
        })
        .map((entries): Recipe => ({ entries })),
    ),
  }));
  // fast-check prints a counterexample with its own recursive stringify: a 5,000-deep value would overflow it
  return tree.map((recipe) => ({ value: build(recipe), [fc.toStringMethod]: () => describe(recipe) }));
}

function describe(recipe: Recipe): string {
  if ("make" in recipe) return `<${recipe.name}>`;
  if ("items" in recipe) return `[${recipe.items.map(describe).join(", ")}]`;
  if ("entries" in recipe) return `{${recipe.entries.map(([k, v]) => `${JSON.stringify(k)}: ${describe(v)}`).join(", ")}}`;
  return fc.stringify(recipe.value);
}
