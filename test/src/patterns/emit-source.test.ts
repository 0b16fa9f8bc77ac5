// The emitted DSL source type-checks, and compiles (statically, and when run) back to suggestWorkflow's template.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { lint } from "../../../compiler/api.js";
import { emitWorkflowSource, PatternDetector, planWorkflow, type ToolCallRecord } from "../../../src/patterns/index.js";
import { emitDir, relativeToRoot, ROOT, typecheck } from "../../helpers/emitted-source.js";
import { ciRun, oddRun, record } from "./fixtures.js";

const DIR = emitDir("patterns-emit");

const detector = new PatternDetector();
const chainRun = (n: number): ToolCallRecord[] => [
  record(`c${n}`, "fetch", { url: `https://x.local/${n}` }, undefined),
  record(`c${n}`, "store", { bucket: "b" }, undefined),
];
const constantRun = (n: number): ToolCallRecord[] => [
  record(`k${n}`, "ping", {}, { ok: true }),
  record(`k${n}`, "pong", { loud: false }, null),
];
const commentRun = (n: number): ToolCallRecord[] => [
  record(`m${n}`, "a*/b", {}, { id: `id${n}` }),
  record(`m${n}`, "c", { id: `id${n}` }, {}),
];

// deploy_region three times in a row: suggested as one map step
const regionsRun = (n: number): ToolCallRecord[] => [
  record(`r${n}`, "build", { tag: `app:${n}` }, { imageId: `sha256:${n}${n}${n}` }),
  ...["eu", "us", "ap"].map((region) =>
    record(`r${n}`, "deploy_region", { imageId: `sha256:${n}${n}${n}`, region, replicas: 2 }, { url: `https://${region}/${n}` }),
  ),
  record(`r${n}`, "verify", { url: `https://us/${n}` }, {}),
];

const CASES = {
  ci: { log: [1, 2, 3, 4].flatMap(ciRun), name: "ci_pipeline" },
  odd: { log: [1, 2, 3].flatMap(oddRun), name: "odd-names" },
  chain: { log: [1, 2, 3].flatMap(chainRun), name: "fetch_and_store" },
  constant: { log: [1, 2, 3].flatMap(constantRun), name: "ping_pong" },
  // a tool name that would end the header comment
  comment: { log: [1, 2, 3].flatMap(commentRun), name: "comment" },
  map: { log: [1, 2, 3].flatMap(regionsRun), name: "deploy_regions" },
};
const plans = Object.fromEntries(
  Object.entries(CASES).map(([file, c]) => {
    // the longest of the most frequent sequences: the whole run, not a part of it
    const patterns = detector.analyzeLogs(c.log);
    const longest = patterns.filter((p) => p.frequency === patterns[0]!.frequency).sort((a, b) => b.tools.length - a.tools.length)[0]!;
    const plan = planWorkflow(longest, { name: c.name });
    writeFileSync(path.join(DIR, `${file}.ts`), emitWorkflowSource(plan));
    return [file, plan];
  }),
);
const relative = (file: string): string => relativeToRoot(path.join(DIR, `${file}.ts`));

describe("emitWorkflowSource", () => {
  it("writes a readable module: tools with inferred schemas, then the workflow whose references are its dependencies", () => {
    const source = emitWorkflowSource(plans.ci!);
    expect(source).toContain('import { z } from "zod";\nimport { tool, workflow } from "toolweave";\n');
    expect(source).toContain(`export const dockerBuild = tool("docker_build", {
  input: z.object({
    context: z.string(),
    tag: z.string(),
    options: z.object({ pull: z.boolean(), platforms: z.array(z.string()) }),
  }),
  output: z.object({ imageId: z.string(), sizeMb: z.number() }),
});`);
    expect(source).toContain(
      `  const gitCloneStep = step("git_clone").tool(gitClone).with({ repo: input.repo, branch: "main", depth: 1 });`,
    );
    expect(source).toContain(`    report: runTestsStep.out.reportUrl,`);
    expect(source).toContain(`  step("slack_notify").tool(slackNotify).with({`);
    expect(emitWorkflowSource(plans.chain!)).toContain(`  step("store").tool(store).with({ bucket: "b" }).after(fetchStep);`);
    expect(emitWorkflowSource(plans.odd!)).toContain(`"issue-id": listIssuesStep.out.items[0].id`);
    expect(emitWorkflowSource(plans.odd!)).toContain(`image: _3dRenderStep.out["image-id"]`);
    expect(emitWorkflowSource(plans.odd!)).toContain(`text: k8sApplyStep.out,`);
    expect(emitWorkflowSource(plans.constant!)).toContain(`}, ({ step }) => {`);
    expect(emitWorkflowSource(plans.map!)).toContain(
      `step("deploy_region").forEach(input.deploy_region_items).tool(deployRegion).with((item) => ({`,
    );
  });

  it("compiles statically (weave compile) to the suggested template, with no finding above info", async () => {
    const result = await lint({ cwd: ROOT, paths: Object.keys(CASES).map(relative) });
    expect(result.diagnostics.filter((d) => d.severity !== "info").map((d) => `${d.span.file}: ${d.message}`)).toEqual([]);
    for (const [file, plan] of Object.entries(plans)) {
      const extracted = result.workflows.find((w) => w.file === relative(file));
      expect(extracted, file).toBeDefined();
      const { steps, ...rest } = extracted!.template;
      expect({ ...rest, steps: steps.map(({ source: _source, ...step }) => step) }).toEqual(plan.template.toJSON());
    }
  });

  it("builds the suggested template when the module runs", async () => {
    for (const [file, plan] of Object.entries(plans)) {
      const module = (await import(pathToFileURL(path.join(DIR, `${file}.ts`)).href)) as Record<
        string,
        { kind?: string; template?: { toJSON(): unknown } }
      >;
      const workflows = Object.values(module).filter((v) => v.kind === "toolweave.workflow");
      expect(workflows).toHaveLength(1);
      expect(workflows[0]!.template!.toJSON()).toEqual(plan.template.toJSON());
    }
  });

  it("type-checks with tsc", () => {
    expect(typecheck(DIR)).toBe("");
  }, 120_000);
});
