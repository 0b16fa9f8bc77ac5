/**
 * Lint findings on DSL files (issue 13), through the real compiler API: workflow outputs are checked like parameters,
 * and messages name references the way the source writes them.
 */
import { describe, expect, it } from "vitest";
import { brief, useLintFiles } from "./lint-files.js";

const { lintFiles } = useLintFiles("weave-dsl-lint-");

const TOOLS = `import { z } from "zod";
import { tool, workflow, failed } from "toolweave";

export const dockerBuild = tool("docker_build", { input: z.object({ image: z.string() }), output: z.object({ imageId: z.string() }) });
export const kubectlApply = tool("kubectl_apply", { input: z.object({ image: z.string() }), output: z.object({ url: z.string(), resourceId: z.string() }) });
export const cleanup = tool("cleanup", { input: z.object({ id: z.string() }), output: z.object({ ok: z.boolean() }) });
`;

describe("workflow outputs in a DSL file", () => {
  it("an output reading no step, or a field the tool's output lacks, is reported at the output", async () => {
    const source = `${TOOLS}
export const deploy = workflow("deploy", { input: z.object({ image: z.string() }) }, ({ input, step }) => {
  const build = step("build").tool(dockerBuild).with({ image: input.image });
  const apply = step("apply").tool(kubectlApply).with({ image: build.out.imageId });
  return { url: "{{deploy.url}}", id: build.out.imageID, applied: apply.out.url };
});
`;
    const found = (await lintFiles({ "deploy.ts": source })).map(brief);
    expect(found).toEqual([
      '11:18 unknown-reference: "{{deploy.url}}" in output "url" refers to "deploy", which is neither a step nor an input variable. inputs are "image"; steps are "build", "apply"',
      '11:39 unknown-field: "build.out.imageID" reads "imageID" of step "build", but the output of tool "docker_build" has no field "imageID" there. did you mean "imageId"?',
    ]);
  });
});
