// `weave run` with outputs JSON cannot print as they are (issue 12, item 12): a BigInt, a cycle, a value 5,000
// levels deep, a getter or a Proxy that throws. Real processes: the summary, the outputs block, --json, --report and
// --log all print the result with placeholders, a note on stderr says which values and where, and the exit code is
// the run's own (0 completed, 1 failed), never "internal error".
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readToolCallLog } from "../../../src/monitor/index.js";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

const FILE = "test/cli/fixtures/ts/hostile-outputs.ts";
const { workdir } = useWorkdirs("weave-cli-hostile-");

/** The placeholder each kind's value gets, and where (the note's line). */
const CASES = [
  {
    kind: "bigint",
    printed: { value: { big: "12345678901234567890n", list: ["1n", 2] } },
    note: 'outputs.value.big: a BigInt, printed as "12345678901234567890n"',
  },
  {
    kind: "cycle",
    printed: { value: { name: "root", self: "[Circular]", children: [{ parent: "[Circular]" }] } },
    note: 'outputs.value.self: a reference back to an enclosing value (a cycle), printed as "[Circular]"',
  },
  {
    kind: "getter",
    printed: { value: { ok: 1, boom: "[Unreadable: getter exploded]" } },
    note: 'outputs.value.boom: a value that cannot be read, printed as "[Unreadable: getter exploded]"',
  },
  {
    kind: "proxy",
    printed: { value: "[Unreadable: ownKeys trap]" },
    note: 'outputs.value: a value that cannot be read, printed as "[Unreadable: ownKeys trap]"',
  },
] as const;

/** `{ d: { d: ... { leaf: true } } }` as printed: `levels` objects, the last one replaced by "[too deep]". */
function depthOf(value: unknown): { depth: number; leaf: unknown } {
  let depth = 0;
  let at = value;
  while (at !== null && typeof at === "object" && "d" in at) {
    at = (at as { d: unknown }).d;
    depth++;
  }
  return { depth, leaf: at };
}

describe.concurrent("weave run: outputs JSON cannot print as they are", () => {
  it.each(CASES)(
    "$kind: the summary and outputs are printed with placeholders, a note says where, exit 0",
    async ({ kind, printed, note }) => {
      const dir = await workdir(`plain-${kind}`);
      const report = join(dir, "run.html");
      const log = join(dir, "calls.jsonl");
      const { code, stdout, stderr } = await weave(["run", FILE, "--var", `kind=${kind}`, "--report", report, "--log", log]);
      expect(stderr).not.toContain("internal error");
      expect(stderr).not.toMatch(STACK);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^make +produce +completed +1 +\d+ ms$/m);
      expect(stdout).toMatch(/^completed in \d+ ms/m);
      expect(stdout).toContain(`outputs:\n${JSON.stringify(printed, null, 2)}\n`);
      expect(stderr).toContain("weave: note: ");
      expect(stderr).toContain(`  ${note}\n`);
      expect(stderr).toContain(`wrote report ${report}\n`);
      const html = await readFile(report, "utf8");
      expect(html).toContain('id="outputs"');
      const { records, problems } = await readToolCallLog(log);
      expect(problems).toEqual([]);
      expect(records.map((r) => r.stepId)).toEqual(["make", "finish"]);
    },
  );

  it.each(CASES)("$kind: --json prints the execution result as valid JSON with the placeholders, exit 0", async ({ kind, printed }) => {
    const { code, stdout, stderr } = await weave(["run", FILE, "--var", `kind=${kind}`, "--json"]);
    expect(stderr).not.toContain("internal error");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { status: string; outputs: unknown; completedSteps: { id: string }[] };
    expect(result.status).toBe("completed");
    expect(result.outputs).toEqual(printed);
    expect(result.completedSteps.map((s) => s.id)).toEqual(["make", "finish"]);
  });

  it('a value 5,000 levels deep: printed down to 256 levels, then "[too deep]"; --json too; exit 0', async () => {
    const [plain, json] = await Promise.all([
      weave(["run", FILE, "--var", "kind=deep"]),
      weave(["run", FILE, "--var", "kind=deep", "--json"]),
    ]);
    for (const { code, stderr } of [plain, json]) {
      expect(stderr).not.toContain("internal error");
      expect(stderr).toMatch(/^ {2}outputs\.value\.d\.d\.d.*…[.d]+: nested more than 256 levels deep, printed as "\[too deep\]"$/m);
      expect(code).toBe(0);
    }
    expect(plain.stdout).toMatch(/^completed in \d+ ms/m);
    const outputs = JSON.parse(plain.stdout.slice(plain.stdout.indexOf("outputs:\n") + "outputs:\n".length)) as { value: unknown };
    // levels: the result (1), outputs (2), value (3), then d after d: the object at level 257 is the placeholder
    expect(depthOf(outputs.value)).toEqual({ depth: 254, leaf: "[too deep]" });
    const result = JSON.parse(json.stdout) as { status: string; outputs: { value: unknown } };
    expect(result.status).toBe("completed");
    expect(depthOf(result.outputs.value)).toEqual({ depth: 254, leaf: "[too deep]" });
  });

  it("a failed run with such outputs still prints them and exits 1 (the run's status), plain and --json", async () => {
    const [plain, json] = await Promise.all([
      weave(["run", FILE, "--var", "kind=bigint", "--var", "fail=true"]),
      weave(["run", FILE, "--var", "kind=cycle", "--var", "fail=true", "--json"]),
    ]);
    expect(plain.stderr).not.toContain("internal error");
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/^failed in \d+ ms: step "finish" failed: finish was told to fail$/m);
    expect(plain.stdout).toContain('"big": "12345678901234567890n"');
    expect(json.stderr).not.toContain("internal error");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "failed", outputs: { value: { name: "root", self: "[Circular]" } } });
  });
});
