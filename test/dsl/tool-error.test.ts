// The DSL's side of failing with partial results: `context.fail` in a tool's run, the result checked against the
// output's fields, a step's `error` for its failure handlers, and what a handler that reads `x.out` of a step that
// failed without a result is told.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { failed, tool, ToolError, workflow } from "toolweave";

const cleanup = tool("cleanup", {
  input: z.object({ resourceId: z.string(), reason: z.string() }),
  output: z.object({ cleaned: z.string(), reason: z.string() }),
  run: ({ resourceId, reason }) => ({ cleaned: resourceId, reason }),
});

const note = tool("note", {
  input: z.object({ text: z.string() }),
  output: z.object({ text: z.string() }),
  run: ({ text }) => ({ text }),
});

/** A deploy tool that fails in the way `how` says. */
function deployTool(how: "fail" | "toolError" | "plain" | "misfit") {
  return tool("deploy_app", {
    input: z.object({ manifest: z.string() }),
    output: z.object({ resourceId: z.string(), url: z.string() }),
    run: async (_input, { fail }) => {
      if (how === "fail") throw fail("health check failed", { result: { resourceId: "r-1" } });
      if (how === "toolError") throw new ToolError("health check failed", { result: { resourceId: "r-2" }, retryable: false });
      if (how === "misfit") throw fail("health check failed", { result: { resourceId: 42 as unknown as string } });
      throw new Error("health check failed");
    },
  });
}

function recovery(how: Parameters<typeof deployTool>[0]) {
  return workflow(
    "recovery",
    { description: "deploy, clean up on failure", input: z.object({ manifest: z.string() }) },
    ({ input, step }) => {
      const deploy = step("deploy").tool(deployTool(how)).with({ manifest: input.manifest }).retry({ max: 1, delayMs: 1 });
      const clean = step("cleanup").tool(cleanup).with({ resourceId: deploy.out.resourceId, reason: deploy.error }).when(failed(deploy));
      return { cleaned: clean.out.cleaned, reason: clean.out.reason };
    },
  );
}

describe("failing with partial results in the DSL", () => {
  it("context.fail(message, { result }) gives the failure handler the partial result and the error (retried first)", async () => {
    const result = await recovery("fail").run({ manifest: "m" });
    expect(result.status).toBe("failed");
    expect(result.failedSteps).toMatchObject([{ id: "deploy", attempts: 2, error: "health check failed", result: { resourceId: "r-1" } }]);
    expect(result.outputs).toEqual({ cleaned: "r-1", reason: "health check failed" });
  });

  it("a ToolError thrown directly does the same; retryable: false skips the retry", async () => {
    const result = await recovery("toolError").run({ manifest: "m" });
    expect(result.failedSteps).toMatchObject([{ id: "deploy", attempts: 1, result: { resourceId: "r-2" } }]);
    expect(result.outputs).toEqual({ cleaned: "r-2", reason: "health check failed" });
  });

  it("a partial result that does not fit the tool's output is dropped, saying why", async () => {
    const result = await recovery("misfit").run({ manifest: "m" });
    expect(result.failedSteps[0]!.error).toBe(
      'health check failed (its partial result was dropped: it does not fit the output of tool "deploy_app": resourceId: Invalid input: expected string, received number)',
    );
    expect(result.failedSteps[0]).not.toHaveProperty("result");
  });

  it("a handler that reads x.out of a step that failed without a result fails, saying to read x.error or throw ToolError", async () => {
    const result = await recovery("plain").run({ manifest: "m" });
    expect(result.failedSteps.map((s) => s.id)).toEqual(["deploy", "cleanup"]);
    expect(result.failedSteps[1]!.error).toBe(
      `cannot resolve "{{deploy.resourceId}}": step "deploy" failed (health check failed), so it has no result. a failure handler can read the step's error instead ({{deploy.error}}; deploy.error in the DSL), or the tool can fail with partial results: throw ToolError(message, { result }) (context.fail(message, { result }) in a DSL tool's run)`,
    );
  });

  it("x.error alone is enough for a handler of a step that failed without a result; it is {{x.error}} in the template", async () => {
    const wf = workflow("notify_failure", { description: "", input: z.object({}) }, ({ step }) => {
      const deploy = step("deploy").tool(deployTool("plain")).with({ manifest: "m" });
      const told = step("tell")
        .tool(note)
        .with({ text: `deploy failed: ${deploy.error}` })
        .when(failed(deploy));
      return { text: told.out.text };
    });
    expect(wf.template.getStep("tell")!.parameters).toEqual({ text: "deploy failed: {{deploy.error}}" });
    expect(wf.template.getStep("tell")!.dependsOn).toEqual(["deploy"]);
    const result = await wf.run({});
    expect(result.outputs).toEqual({ text: "deploy failed: health check failed" });
  });
});
