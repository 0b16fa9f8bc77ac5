// `weave run <workflow.ts>` checks the workflow statically first, as weave lint does: an error that would fail the run
// halfway (a typo in a step's reference) stops it before anything runs, located with its code frame, exit 2.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

const F = "test/cli/fixtures/ts";
const { workdir } = useWorkdirs("weave-cli-preflight-");

describe.concurrent("weave run <workflow.ts>: the static preflight", () => {
  it("a typo in the second step: the first step does not run (its file is not written), exit 2, the typo located", async () => {
    const wd = await workdir("typo");
    const { code, stdout, stderr } = await weave(["run", `${F}/typo.ts`, "--workflow", "release", "--var", `dir=${wd}`]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(existsSync(join(wd, "built.txt"))).toBe(false);
    expect(existsSync(wd)).toBe(false);
    expect(stderr).not.toMatch(STACK);
    expect(stderr).toBe(
      [
        `${F}/typo.ts:26:61: error: "build.out.imageID" reads "imageID" of step "build", but the output of tool "build_image" has no field "imageID" there. did you mean "imageId"? [unknown-field]`,
        '26 |   const push = step("push").tool(pushImage).with({ imageId: build.out.imageID });',
        "   |                                                             ^~~~~~~~~~~~~~~~~",
        `weave: nothing was run: workflow "release" would fail on this error. fix it and run again (weave lint ${F}/typo.ts checks without running)`,
        "",
      ].join("\n"),
    );
  });

  it("checks only the workflow that runs: another workflow of the file runs despite the typo in its neighbour", async () => {
    const wd = await workdir("build-only");
    const { code, stderr } = await weave(["run", `${F}/typo.ts`, "--workflow", "build_only", "--var", `dir=${wd}`]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(existsSync(join(wd, "built.txt"))).toBe(true);
  });

  it("a workflow the compiler cannot read statically (non-static) is not blocked: it runs as before", async () => {
    const wd = await workdir("dynamic");
    const { code, stderr } = await weave(["run", `${F}/dynamic.ts`, "--var", `dir=${wd}`]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(existsSync(join(wd, "stamped.txt"))).toBe(true);
    // weave lint says why it could not check it
    const lint = await weave(["lint", `${F}/dynamic.ts`]);
    expect(lint.stdout).toContain("[non-static]");
  });
});
