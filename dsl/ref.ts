/**
 * @module Typed references to step outputs and workflow inputs. At the type level a `Ref<T, W>` knows the value
 * type `T` and the workflow `W` it belongs to; at run time it is a Proxy that records a path.
 *
 * `W` is the workflow's name (`Ref<string, "deploy">`), so a reference carried into another workflow is a compile
 * error naming both; it is covariant so outputs (`{ url: deploy.out.url }`) widen to `Ref<T, unknown>` when
 * returned. The name rather than a type parameter of a generic body: see docs/performance.md.
 */
import { printPlaceholder } from "../src/condition/print.js";
import type { PathSegment } from "../src/placeholder/path.js";
import type { WorkflowBuild, StepState } from "./workflow-build.js";

declare const reference: unique symbol;

/**
 * A reference to a value of type `T` in workflow `W` (the workflow's name): the part of a {@link Ref} that
 * assignability looks at, cheap for the checker. What parameters and conditions accept, so a type error reads
 * "not assignable to type 'string | RefTo<string, "deploy">'". Its member names are what the error then quotes:
 * "The types of '[reference].value' are incompatible" for a reference of the wrong type, "'[reference].workflow'"
 * (`'"build"' is not assignable to '"deploy"'`) for a reference taken from another workflow.
 */
export interface RefTo<out T, out W = unknown> {
  readonly [reference]: { readonly value: T; readonly workflow: W };
}

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/**
 * Literal indexes an array reference offers as properties, so `out.items[0]` is a `Ref` even under
 * `noUncheckedIndexedAccess` (which adds `undefined` to anything read through an index signature).
 */
type ItemIndex =
  | 0
  | 1
  | 2
  | 3
  | 4
  | 5
  | 6
  | 7
  | 8
  | 9
  | 10
  | 11
  | 12
  | 13
  | 14
  | 15
  | 16
  | 17
  | 18
  | 19
  | 20
  | 21
  | 22
  | 23
  | 24
  | 25
  | 26
  | 27
  | 28
  | 29
  | 30
  | 31;

declare const noFields: unique symbol;

/**
 * The fields of a reference to a primitive: none. An object type rather than `unknown`, so `Ref<string, W>` stays an
 * intersection and editors show it by its name (`imageId: Ref<string, "deploy">`) instead of its brand.
 */
interface NoFields {
  readonly [noFields]?: never;
}

/**
 * Fields of a reference: `ref.a.b`, `ref.items[0]`, `ref.pair[1]` (a tuple keeps each position's type). Optional
 * fields keep `undefined` in their value type.
 */
type RefFields<T, W> = [NonNullable<T>] extends [readonly [] | readonly [unknown, ...unknown[]]]
  ? { readonly [K in Exclude<keyof NonNullable<T>, keyof unknown[]>]: Ref<NonNullable<T>[K] | Extract<T, undefined>, W> }
  : [NonNullable<T>] extends [readonly (infer E)[]]
    ? { readonly [index: number]: Ref<E | Extract<T, undefined>, W> } & { readonly [K in ItemIndex]: Ref<E | Extract<T, undefined>, W> }
    : [NonNullable<T>] extends [Primitive]
      ? NoFields
      : { readonly [K in keyof NonNullable<T>]-?: Ref<NonNullable<T>[K] | Extract<T, undefined>, W> };

/** A typed reference to a value that exists at run time: a workflow input or a step's output (or a field of one). */
export type Ref<T, W = unknown> = RefTo<T, W> & RefFields<T, W>;

/**
 * A parameter value: a literal, or a reference of a compatible type, at any depth. A reference whose value may be
 * missing (an optional input or output field) is not accepted: at run time a missing value is an unresolvable
 * reference that fails the step, so the types say so up front (leave the parameter out, or pass a literal).
 */
export type Param<T, W> = ParamValue<T, W> | RefTo<Exclude<T, undefined>, W>;
type ParamValue<T, W> = T extends Primitive
  ? T
  : T extends readonly (infer E)[]
    ? readonly (ParamValue<E, W> | RefTo<Exclude<E, undefined>, W>)[]
    : ParamObject<T, W>;

/**
 * The parameters of a step: the tool's input, where every field may be a value or a reference. Each field's type is
 * written out rather than named `Param`, so a type error reads as what is expected: "not assignable to type
 * 'number | RefTo<number, "deploy">'", a number or a reference to a number in workflow "deploy".
 */
export type ParamObject<T, W> = { [K in keyof T]: ParamValue<T[K], W> | RefTo<Exclude<T[K], undefined>, W> };

/** The value type a reference stands for; other values stay as they are. */
export type ValueOf<R> = R extends RefTo<infer T, unknown> ? T : R;

/** What the runtime keeps about a reference. */
export interface RefInfo {
  readonly scope: WorkflowBuild;
  /** The step whose output is referenced; undefined for a workflow input. */
  readonly step: StepState | undefined;
  readonly root: string;
  readonly path: readonly PathSegment[];
  /** For a map step's item (or its index): that step, the only one whose parameters and condition may read it. */
  readonly itemOf?: StepState;
}

const INFO = Symbol.for("toolweave.ref");

/** Start and end of a reference token inside a template string (Unicode private-use characters). */
export const TOKEN_START = "\uE000";
export const TOKEN_END = "\uE001";

export function refInfo(value: unknown): RefInfo | undefined {
  return typeof value === "object" && value !== null ? ((value as Record<symbol, RefInfo | undefined>)[INFO] ?? undefined) : undefined;
}

/** The `{{...}}` placeholder of a reference. */
export function placeholderOf(info: RefInfo): string {
  return printPlaceholder(info.root, info.path);
}

/** Creates the run-time reference: every property read is a deeper reference; it is never a thenable. */
export function createRef(info: RefInfo): unknown {
  return new Proxy(Object.create(null) as object, {
    get(_target, key) {
      if (key === INFO) return info;
      if (key === Symbol.toPrimitive || key === "toString" || key === "valueOf") {
        // A reference in a template string becomes a token that `.with()` turns into a placeholder.
        return () => `${TOKEN_START}${info.scope.id}:${info.scope.tokenFor(info)}${TOKEN_END}`;
      }
      if (key === "then" || typeof key === "symbol") return undefined;
      if (key === "toJSON") {
        return () => {
          throw new TypeError(
            `reference ${placeholderOf(info)} cannot be serialised: use it as a step parameter, a condition or a workflow output`,
          );
        };
      }
      const segment: PathSegment = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
      return createRef({ ...info, path: [...info.path, segment] });
    },
    has: (_target, key) => key === INFO,
    set() {
      throw new TypeError("a reference is read-only");
    },
  });
}
