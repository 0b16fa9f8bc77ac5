/** DESIGN.md §6, exactly as written (the tools it uses but does not show are defined first). */
// biome-ignore-all lint/suspicious/noExportsInTest: the design's example exports its tools and workflow, and is kept verbatim
// biome-ignore-all lint/correctness/noUnusedFunctionParameters: the design's dockerBuild ignores its input, verbatim
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { tool, workflow, failed } from "toolweave";

const pushed: string[] = [];
export const dockerPush = tool("docker_push", {
  input: z.object({ imageId: z.string() }),
  output: z.object({ ref: z.string() }),
  run: async ({ imageId }) => (pushed.push(imageId), { ref: `registry.local/${imageId}` }),
});
let applyFails = false;
export const kubectlApply = tool("kubectl_apply", {
  input: z.object({ manifest: z.string() }),
  output: z.object({ url: z.string() }),
  run: async ({ manifest }) => {
    if (applyFails) throw new Error(`kubectl: ${manifest} rejected`);
    return { url: `https://staging.example.test/${manifest}` };
  },
});
const cleaned: string[] = [];
export const cleanup = tool("cleanup", {
  input: z.object({ id: z.string() }),
  output: z.object({ removed: z.string() }),
  run: ({ id }) => (cleaned.push(id), { removed: id }),
});

// ---- from here on, DESIGN.md §6 verbatim ----
export const dockerBuild = tool("docker_build", {
  input: z.object({ image: z.string() }),
  output: z.object({ imageId: z.string(), sizeMb: z.number() }),
  run: async ({ image }) => ({ imageId: "sha256:…", sizeMb: 125 }), // optional implementation
});

export const deploy = workflow(
  "deploy_to_staging",
  {
    description: "Deploy application to staging environment",
    input: z.object({ image: z.string(), manifest: z.string() }),
  },
  ({ input, step }) => {
    const build = step("build").tool(dockerBuild).with({ image: input.image });
    const push = build.then(step("push").tool(dockerPush).with({ imageId: build.out.imageId }));
    const apply = step("deploy").tool(kubectlApply).with({ manifest: input.manifest }).after(push);
    step("cleanup").tool(cleanup).with({ id: build.out.imageId }).when(failed(apply)); // runs only if deploy fails
    return { url: apply.out.url };
  },
);
// ---- end of the DESIGN.md example ----

describe("the DESIGN.md §6 example", () => {
  it("builds the template with every reference as an explicit dependency", () => {
    expect(deploy.template.toJSON().steps.map((s) => [s.id, s.toolName, s.parameters, s.dependsOn, s.condition])).toEqual([
      ["build", "docker_build", { image: "{{image}}" }, [], null],
      ["push", "docker_push", { imageId: "{{build.imageId}}" }, ["build"], null],
      ["deploy", "kubectl_apply", { manifest: "{{manifest}}" }, ["push"], null],
      ["cleanup", "cleanup", { id: "{{build.imageId}}" }, ["build", "deploy"], "{{deploy.success}} == false"],
    ]);
    expect(deploy.template.outputs).toEqual({ url: "{{deploy.url}}" });
    expect(deploy.template.inputs).toMatchObject({
      type: "object",
      properties: { image: { type: "string" }, manifest: { type: "string" } },
      required: ["image", "manifest"],
    });
  });

  it("runs, with typed outputs, and skips the cleanup when deploy succeeds", async () => {
    const result = await deploy.run({ image: "myapp:latest", manifest: "staging.yaml" });
    expect(result.status).toBe("completed");
    if (result.status === "completed") {
      const url: string = result.outputs.url;
      expect(url).toBe("https://staging.example.test/staging.yaml");
    }
    expect(pushed).toEqual(["sha256:…"]);
    expect(result.skippedSteps).toEqual([{ id: "cleanup", reason: 'condition "{{deploy.success}} == false" is false' }]);
  });

  it("runs the cleanup only when deploy fails", async () => {
    applyFails = true;
    try {
      const result = await deploy.run({ image: "myapp:latest", manifest: "staging.yaml" });
      expect(result.status).toBe("failed");
      expect(result.failedSteps.map((s) => s.id)).toEqual(["deploy"]);
      expect(cleaned).toEqual(["sha256:…"]);
      expect(result.outputs).toEqual({});
    } finally {
      applyFails = false;
    }
  });
});
