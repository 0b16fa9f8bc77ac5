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
    bad: `const steps = ["eu", "us"].map((r) => w.step(\`deploy_\${r}\`, kubectlApply, { region: r }));`,
    good: `const deployEu = w.step("deploy_eu", kubectlApply, { region: "eu" });
const deployUs = w.step("deploy_us", kubectlApply, { region: "us" });`,
  },
  messages: {
    nonStatic: "{{what}} cannot be determined without running code. {{hint}}",
  },
  create() {
    return {};
  },
});
