/**
 * @module The result of a run as `weave run` prints it (`--json`, the outputs block, the summary, the report):
 * always printable, whatever the workflow's outputs hold. A BigInt is printed as `"123n"`, a cycle as
 * `"[Circular]"`, a value nested more than 256 levels deep as `"[too deep]"`, one that cannot be read (a getter
 * or `toJSON` that throws, a Proxy) as `"[Unreadable: …]"` / `"[Unserializable: …]"` (see util/safe-json.ts), and a
 * note on stderr says which values were replaced and where. Printing never loses the result.
 */
import type { ExecutionResult } from "../../src/executor/types.js";
import type { SecretMask } from "../../src/secrets/mask.js";
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_VALUES, safeCopy, type Replacement, type ReplacementKind } from "../../src/util/safe-json.js";
import { plural } from "../shared/format.js";

export interface PrintableResult {
  /** The result as plain JSON values: what the summary, the outputs block and the report read. */
  readonly result: ExecutionResult;
  /** What `--json` prints (without the final newline). */
  readonly json: string;
  /** Lines for stderr naming the values printed as placeholders; empty when there are none. */
  readonly notes: readonly string[];
}

const SHOWN = 5;

const WHAT: Record<ReplacementKind, string> = {
  bigint: "a BigInt",
  circular: "a reference back to an enclosing value (a cycle)",
  too_deep: `nested more than ${DEFAULT_MAX_DEPTH} levels deep`,
  unreadable: "a value that cannot be read",
  truncated: `more than ${DEFAULT_MAX_VALUES.toLocaleString("en-US")} values in all; the rest is left out`,
};

/** Long paths (a value nested hundreds of levels deep) keep their start and their end. */
function shortPath(path: string): string {
  return path.length <= 120 ? path : `${path.slice(0, 70)}…${path.slice(-40)}`;
}

function noteLine(r: Replacement): string {
  return `  ${shortPath(r.path) || "the result"}: ${WHAT[r.kind]}, printed as ${JSON.stringify(r.text)}`;
}

/** Never throws. @param mask the run's secrets, masked wherever they appear in the result */
export function printableResult(result: ExecutionResult, mask?: SecretMask): PrintableResult {
  const copy = safeCopy(result, { mode: "json", maxListed: SHOWN });
  const printable = (mask === undefined || mask.isEmpty ? (copy.value ?? {}) : mask.value(copy.value ?? {})) as ExecutionResult;
  let json: string;
  try {
    json = JSON.stringify(printable, null, 2);
  } catch {
    // only a text longer than a string can be gets here
    json = JSON.stringify({ ...printable, outputs: "[Unserializable: too large to print]" }, null, 2);
  }
  const notes =
    copy.replaced === 0
      ? []
      : [
          `weave: note: ${copy.replaced === 1 ? "1 value of the result has" : `${plural(copy.replaced, "value")} of the result have`} no JSON form and ${copy.replaced === 1 ? "is" : "are"} printed as ${copy.replaced === 1 ? "a placeholder" : "placeholders"}:`,
          ...copy.replacements.map(noteLine),
          ...(copy.replaced > copy.replacements.length ? [`  … and ${copy.replaced - copy.replacements.length} more`] : []),
        ];
  return { result: printable, json, notes };
}
