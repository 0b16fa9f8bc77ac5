// From runs to a workflow: a DSL workflow runs with the monitor, the detector mines its log, and the suggestion has
// the original's data flow and order (with parallel: true, drops the ordering that carried no data).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createMonitor, PatternDetector, tool, workflow } from "toolweave";

const clone = tool("git_clone", {
  input: z.object({ repo: z.string() }),
  output: z.object({ dir: z.string(), sha: z.string() }),
  run: ({ repo }) => ({ dir: `/checkouts/${repo}`, sha: `sha-of-${repo}` }),
});
const build = tool("docker_build", {
  input: z.object({ dir: z.string(), tag: z.string() }),
  output: z.object({ imageId: z.string() }),
  run: ({ dir, tag }) => ({ imageId: `sha256:${dir.length}-${tag}` }),
});
const lint = tool("lint", {
  input: z.object({ dir: z.string(), strict: z.boolean() }),
  output: z.object({ warnings: z.number() }),
  run: () => ({ warnings: 2 }),
});
const push = tool("docker_push", {
  input: z.object({ imageId: z.string(), registry: z.string() }),
  output: z.object({ ref: z.string() }),
  run: ({ imageId, registry }) => ({ ref: `${registry}/app@${imageId}` }),
});

const release = workflow("release", { description: "", input: z.object({ repo: z.string(), tag: z.string() }) }, ({ input, step }) => {
  const c = step("clone").tool(clone).with({ repo: input.repo });
  const b = step("build").tool(build).with({ dir: c.out.dir, tag: input.tag });
  // ordered after the build without using its result
  const l = step("lint").tool(lint).with({ dir: c.out.dir, strict: true }).after(b);
  step("push").tool(push).with({ imageId: b.out.imageId, registry: "registry.local" }).after(l);
  return {};
});

describe("mining the monitor's log of real runs", () => {
  it("suggests the workflow that ran: its data flow and its order; with parallel, dependencies on data sources only", async () => {
    const monitor = createMonitor();
    for (const [repo, tag] of [
      ["acme/api", "1.0"],
      ["acme/web", "2.1"],
      ["acme/cli", "0.9"],
    ] as const) {
      expect((await release.run({ repo, tag }, { monitor })).status).toBe("completed");
    }
    // sub-millisecond tools: the monitor's start times must still follow the order the calls ran in
    const starts = monitor.toolCallLog.map((r) => r.timestamp);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const detector = new PatternDetector();
    const [top] = detector.analyzeLogs(monitor.toolCallLog);
    expect(top).toMatchObject({ tools: ["git_clone", "docker_build", "lint", "docker_push"], frequency: 3, successRate: 1 });
    const suggested = detector.suggestWorkflow(top!, { name: "release_again" });
    expect(suggested.steps.map((s) => [s.id, s.parameters, s.dependsOn])).toEqual([
      ["git_clone", { repo: "{{repo}}" }, []],
      ["docker_build", { dir: "{{git_clone.dir}}", tag: "{{tag}}" }, ["git_clone"]],
      ["lint", { dir: "{{git_clone.dir}}", strict: true }, ["git_clone", "docker_build"]],
      ["docker_push", { imageId: "{{docker_build.imageId}}", registry: "registry.local" }, ["docker_build", "lint"]],
    ]);
    expect(release.template.steps.map((s) => s.dependsOn)).toEqual(
      suggested.steps.map((s) => s.dependsOn.map((d) => ({ git_clone: "clone", docker_build: "build", lint: "lint" })[d])),
    );
    const parallel = detector.suggestWorkflow(top!, { name: "release_again", parallel: true });
    expect(parallel.steps.map((s) => [s.id, s.parameters, s.dependsOn])).toEqual([
      ["git_clone", { repo: "{{repo}}" }, []],
      ["docker_build", { dir: "{{git_clone.dir}}", tag: "{{tag}}" }, ["git_clone"]],
      ["lint", { dir: "{{git_clone.dir}}", strict: true }, ["git_clone"]],
      ["docker_push", { imageId: "{{docker_build.imageId}}", registry: "registry.local" }, ["docker_build"]],
    ]);
    expect(release.template.getStep("lint")!.dependsOn).toEqual(["clone", "build"]);
  });
});
