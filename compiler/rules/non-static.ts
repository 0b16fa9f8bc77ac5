/**
 * @module Rule `non-static`: a value in a TypeScript workflow that the compiler cannot determine without running
 * code. Reported by the extractor, which sees the source; registered here so `--explain` and rule settings know
 * it. Its `create` adds no hooks.
 */
import { defineRule } from "./rule.js";

export default defineRule({
  id: "non-static",
  severity: "error",
  docs: {
    description: "Require workflow definitions the compiler can read without running code",
    bad: `import { z } from "zod";
import { tool, workflow } from "toolweave";

const kubectlApply = tool("kubectl_apply", { input: z.object({ region: z.string() }), output: z.object({ url: z.string() }) });

export const deployRegions = workflow("deploy_regions", { description: "Deploy to every region", input: z.object({}) }, ({ step }) => {
  for (const region of ["eu", "us"]) step(\`deploy_\${region}\`).tool(kubectlApply).with({ region });
  return {};
});`,
    good: `import { z } from "zod";
import { tool, workflow } from "toolweave";

const kubectlApply = tool("kubectl_apply", { input: z.object({ region: z.string() }), output: z.object({ url: z.string() }) });

export const deployRegions = workflow("deploy_regions", { description: "Deploy to every region", input: z.object({}) }, ({ step }) => {
  step("deploy_eu").tool(kubectlApply).with({ region: "eu" });
  step("deploy_us").tool(kubectlApply).with({ region: "us" });
  return {};
});`,
  },
  messages: {
    nonStatic: "{{what}} cannot be determined without running code. {{hint}}",
  },
  create() {
    return {};
  },
});
