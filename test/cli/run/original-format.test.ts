// The original system's template files as it wrote them (dataclasses.asdict: every key, `parallel_groups` included),
// through the real CLI: lint notes the ignored key, run/graph/library add accept the file, migrate drops the key.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK, weave, useWorkdirs } from "../weave-process.js";

const FILE = "test/cli/fixtures/original-parallel-groups.json";
const { workdir, root } = useWorkdirs("weave-cli-original-");

/** The fixture with `parallel_groups: null`, as the original wrote it for most workflows. */
async function withNullGroups(): Promise<string> {
  const json = JSON.parse(await readFile(FILE, "utf8"));
  const file = join(root(), "null-groups.json");
  await writeFile(file, JSON.stringify({ ...json, parallel_groups: null }, null, 2));
  return file;
}

describe.concurrent("the original format's parallel_groups", () => {
  it("weave lint: an info finding at the key's value, exit 0", async () => {
    const { code, stdout, stderr } = await weave(["lint", FILE, "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const found = (
      JSON.parse(stdout) as { diagnostics: { ruleId: string; severity: string; message: string; line: number; column: number }[] }
    ).diagnostics;
    expect(found.map((d) => [d.ruleId, d.severity, d.line, d.column])).toEqual([["invalid-template", "info", 34, 22]]);
    expect(found[0]!.message).toMatch(
      /^"parallel_groups" of the original format is ignored: toolweave runs each step as soon as its own dependencies finish, not group by group/,
    );

    const nullGroups = await weave(["lint", await withNullGroups()]);
    expect(nullGroups.code).toBe(0);
    expect(nullGroups.stdout).toContain(
      'info: "parallel_groups" of the original format is ignored: toolweave runs each step as soon as its dependencies finish [invalid-template]',
    );
    expect(nullGroups.stdout).not.toContain("unknown key");
  });

  it("weave run runs it (the groups play no part: both writes start at once, record waits for both)", async () => {
    const wd = await workdir("run");
    const { code, stdout, stderr } = await weave(["run", FILE, "--tools", "test/cli/fixtures/tools.ts", "--var", `workdir=${wd}`]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^completed in \d+ ms/m);
    expect(JSON.parse(await readFile(join(wd, "params.json"), "utf8"))).toEqual({ dir: wd, a: join(wd, "a.txt"), b: join(wd, "b.txt") });
  });

  it("weave graph draws it", async () => {
    const { code, stdout, stderr } = await weave(["graph", await withNullGroups()]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("s0 --> s2\n  s1 --> s2\n");
  });

  it("weave library add takes it", async () => {
    const { code, stderr } = await weave(["library", "add", FILE, "--library", join(root(), "lib.json")]);
    expect(code).toBe(0);
    expect(stderr).toContain(`added workflow "original_fan_out" (3 steps) in ${join(root(), "lib.json")}`);
    expect(await readFile(join(root(), "lib.json"), "utf8")).not.toContain("parallel_groups");
  });

  it.each([["json"], ["ts"]])("weave migrate --emit %s drops it, with a note on stderr at the key", async (emit) => {
    const { code, stdout, stderr } = await weave(["migrate", FILE, "--emit", emit]);
    expect(code).toBe(0);
    expect(stderr).toBe(
      `${FILE}:34:22: info: workflow "original_fan_out": "parallel_groups" is dropped: toolweave runs each step as soon as its own dependencies finish, not group by group (a step that needs a whole earlier group done lists those steps in dependsOn)\n`,
    );
    expect(stdout).not.toContain("parallel_groups");
    if (emit === "json")
      expect(JSON.parse(stdout).steps.map((s: { id: string; dependsOn: string[] }) => [s.id, s.dependsOn])).toEqual([
        ["write", []],
        ["write_b", []],
        ["record", ["write", "write_b"]],
      ]);
    else expect(stdout).toContain('step("record").tool(recordParams)');
    expect(stderr).not.toMatch(STACK);
  });
});
