// suggestWorkflow: data flow becomes references and dependencies, constants literals, the rest inputs; the observed
// order is kept unless parallel: true asks for a DAG of the data flow only; names differ per pattern.
import { describe, expect, it } from "vitest";
import { PatternDetector, planWorkflow, suggestedName, type ToolSequence } from "../../../src/patterns/index.js";
import { ciRun, oddRun, record } from "./fixtures.js";

const detector = new PatternDetector();
const topPattern = (log: Parameters<PatternDetector["analyzeLogs"]>[0]): ToolSequence => detector.analyzeLogs(log)[0]!;
const shape = (template: ReturnType<PatternDetector["suggestWorkflow"]>) =>
  Object.fromEntries(template.steps.map((s) => [s.id, { tool: s.toolName, params: s.parameters, dependsOn: s.dependsOn }]));

describe("suggestWorkflow", () => {
  it("with parallel: true, turns data flow into references and dependencies: independent calls become parallel steps", () => {
    const pattern = topPattern([1, 2, 3, 4].flatMap(ciRun));
    expect(pattern.tools).toEqual(["git_clone", "docker_build", "run_tests", "docker_push", "slack_notify"]);
    const template = detector.suggestWorkflow(pattern, { name: "ci_pipeline", description: "Build, test and ship", parallel: true });
    expect(template).toMatchObject({ name: "ci_pipeline", description: "Build, test and ship", category: "general", tags: ["detected"] });
    expect(shape(template)).toEqual({
      git_clone: { tool: "git_clone", params: { repo: "{{repo}}", branch: "main", depth: 1 }, dependsOn: [] },
      docker_build: {
        tool: "docker_build",
        params: { context: "{{git_clone.dir}}", tag: "{{tag}}", options: { pull: true, platforms: ["linux/amd64"] } },
        dependsOn: ["git_clone"],
      },
      // reads only the clone: parallel to the build
      run_tests: { tool: "run_tests", params: { dir: "{{git_clone.dir}}", suites: ["unit", "e2e"], retries: 1 }, dependsOn: ["git_clone"] },
      // the same values as the build's tag in every run: one shared input
      docker_push: {
        tool: "docker_push",
        params: { imageId: "{{docker_build.imageId}}", registry: "registry.local", tag: "{{tag}}" },
        dependsOn: ["docker_build"],
      },
      slack_notify: {
        tool: "slack_notify",
        params: { channel: "#ci", ref: "{{docker_push.ref}}", report: "{{run_tests.reportUrl}}" },
        dependsOn: ["run_tests", "docker_push"],
      },
    });
    expect(template.inputs).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { repo: { type: "string" }, tag: { type: "string" } },
      required: ["repo", "tag"],
    });
    expect(() => template.validate()).not.toThrow();
    expect(planWorkflow(pattern, { parallel: true }).order).toBe("data-flow");
  });

  it("keeps the observed order by default: the same references, and each step after the call that ended before it", () => {
    const pattern = topPattern([1, 2, 3, 4].flatMap(ciRun));
    const plan = planWorkflow(pattern);
    expect(plan.order).toBe("observed");
    const parallel = detector.suggestWorkflow(pattern, { parallel: true });
    expect(plan.template.steps.map((s) => s.parameters)).toEqual(parallel.steps.map((s) => s.parameters));
    expect(plan.template.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ["git_clone", []],
      ["docker_build", ["git_clone"]],
      // reads the clone, and waits for the build it followed in every run
      ["run_tests", ["git_clone", "docker_build"]],
      ["docker_push", ["docker_build", "run_tests"]],
      ["slack_notify", ["run_tests", "docker_push"]],
    ]);
    // the waits without data are `after` in the plan (.after(...) in the DSL); implied ones are left out
    expect(plan.steps.map((s) => s.after ?? [])).toEqual([[], [], [1], [2], []]);
  });

  it("keeps calls that overlapped in every occurrence parallel, and orders those that did not", () => {
    // b and c start together after a; d starts when both ended
    const run = (n: number) => {
      const t = 1_800_000_000_000 + n * 100_000;
      const at = (tool: string, start: number, ms: number) => record(`o${n}`, tool, {}, { n }, { timestamp: t + start, durationMs: ms });
      return [at("a", 0, 100), at("b", 200, 500), at("c", 210, 300), at("d", 800, 50)];
    };
    const template = detector.suggestWorkflow(topPattern([1, 2, 3].flatMap(run)));
    expect(template.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ["a", []],
      ["b", ["a"]],
      ["c", ["a"]],
      ["d", ["b", "c"]],
    ]);
  });

  it("does not take a value a call was given and returned as flowing from it: the source is where it came from", () => {
    // scan and deploy_region return the image id they were given
    const run = (n: number) => [
      record(`e${n}`, "build", { tag: `app:${n}` }, { imageId: `sha256:${n}${n}${n}` }),
      record(`e${n}`, "scan", { imageId: `sha256:${n}${n}${n}` }, { imageId: `sha256:${n}${n}${n}`, passed: true }),
      record(
        `e${n}`,
        "deploy_region",
        { imageId: `sha256:${n}${n}${n}`, region: "eu" },
        { imageId: `sha256:${n}${n}${n}`, url: `https://eu/${n}` },
      ),
      record(
        `e${n}`,
        "deploy_region",
        { imageId: `sha256:${n}${n}${n}`, region: "us" },
        { imageId: `sha256:${n}${n}${n}`, url: `https://us/${n}` },
      ),
      record(`e${n}`, "verify", { url: `https://us/${n}` }, {}),
    ];
    const pattern = topPattern([1, 2, 3].flatMap(run));
    const observed = detector.suggestWorkflow(pattern, { maps: false });
    const parallel = detector.suggestWorkflow(pattern, { parallel: true, maps: false });
    for (const template of [observed, parallel]) {
      expect(template.steps.map((s) => s.parameters)).toEqual([
        { tag: "{{tag}}" },
        { imageId: "{{build.imageId}}" },
        { imageId: "{{build.imageId}}", region: "eu" },
        { imageId: "{{build.imageId}}", region: "us" },
        { url: "{{deploy_region_2.url}}" },
      ]);
    }
    // observed: build → security scan → deploy stays a chain; parallel: the scan and the deploys run side by side
    expect(observed.steps.map((s) => s.dependsOn)).toEqual([
      [],
      ["build"],
      ["build", "scan"],
      ["build", "deploy_region"],
      ["deploy_region_2"],
    ]);
    expect(parallel.steps.map((s) => s.dependsOn)).toEqual([[], ["build"], ["build"], ["build"], ["deploy_region_2"]]);
  });

  it("suggests repeated calls of one tool as a map step over a list input: what differed is the item", () => {
    const run = (n: number) => [
      record(`e${n}`, "build", { tag: `app:${n}` }, { imageId: `sha256:${n}${n}${n}` }),
      record(`e${n}`, "deploy_region", { imageId: `sha256:${n}${n}${n}`, region: "eu", replicas: 2 }, { url: `https://eu/${n}` }),
      record(`e${n}`, "deploy_region", { imageId: `sha256:${n}${n}${n}`, region: "us", replicas: 2 }, { url: `https://us/${n}` }),
      record(`e${n}`, "deploy_region", { imageId: `sha256:${n}${n}${n}`, region: "ap", replicas: 2 }, { url: `https://ap/${n}` }),
      record(`e${n}`, "verify", { url: `https://us/${n}` }, {}),
    ];
    const whole = (log: Parameters<PatternDetector["analyzeLogs"]>[0]) => detector.analyzeLogs(log).find((p) => p.tools.length === 5)!;
    const pattern = whole([1, 2, 3].flatMap(run));
    expect(pattern.tools).toEqual(["build", "deploy_region", "deploy_region", "deploy_region", "verify"]);
    const template = detector.suggestWorkflow(pattern);
    expect(template.steps.map((s) => [s.id, s.forEach, s.parameters, s.dependsOn])).toEqual([
      ["build", undefined, { tag: "{{tag}}" }, []],
      ["deploy_region", "{{deploy_region_items}}", { imageId: "{{build.imageId}}", region: "{{item.region}}", replicas: 2 }, ["build"]],
      ["verify", undefined, { url: "{{deploy_region[1].url}}" }, ["deploy_region"]],
    ]);
    expect((template.inputs as { properties: Record<string, unknown> }).properties.deploy_region_items).toEqual({
      type: "array",
      items: { type: "object", properties: { region: { type: "string" } }, required: ["region"] },
    });
    // the DSL source says the same, and runs: one deploy per item
    const source = detector.suggestWorkflowSource(pattern);
    expect(
      source,
    ).toContain(`  const deployRegionStep = step("deploy_region").forEach(input.deploy_region_items).tool(deployRegion).with((item) => ({
    imageId: buildStep.out.imageId,
    region: item.region,
    replicas: 2,
  }));
  step("verify").tool(verify).with({ url: deployRegionStep.out[1].url });`);
  });

  it("has a default name and a description with the pattern's figures", () => {
    const template = detector.suggestWorkflow(topPattern([1, 2, 3].flatMap(ciRun)));
    expect(template.name).toBe("git_clone__docker_build__run_tests__docker_push__slack_notify");
    expect(template.description).toBe(
      "Detected tool sequence git_clone → docker_build → run_tests → docker_push → slack_notify (seen 3 times, 100% fully successful)",
    );
  });

  it("names steps after tools (unique), follows array items and odd field names, and keeps trivial values literal", () => {
    const plan = planWorkflow(topPattern([1, 2, 3].flatMap(oddRun)), { parallel: true });
    const template = plan.template;
    expect(template.steps.map((s) => s.id)).toEqual(["list_issues", "_3d-render", "k8s_apply", "notify", "list_issues_2"]);
    expect(shape(template)).toEqual({
      list_issues: { tool: "list.issues", params: { repo: "acme/x", state: "open" }, dependsOn: [] },
      "_3d-render": {
        tool: "3d-render",
        params: {
          "issue-id": "{{list_issues.items[0].id}}",
          "content-type": "text/plain",
          then: "{{thenInput}}",
          title: "{{list_issues.items[0].title}}",
          // the second item has no html-url: the field is optional in the inferred schema, so not referenceable
          link: "{{link}}",
        },
        dependsOn: ["list_issues"],
      },
      // `extra` was not given every time: left out. `replicas: 1` is trivial (also the count below): a literal.
      // The input named like a step id is renamed.
      k8s_apply: {
        tool: "k8s.apply",
        params: { image: "{{_3d-render.image-id}}", replicas: 1, mode: "{{mode}}", k8s_apply: "{{k8s_apply_2}}" },
        dependsOn: ["_3d-render"],
      },
      notify: { tool: "notify", params: { text: "{{k8s_apply}}", count: 1 }, dependsOn: ["k8s_apply"] },
      // a literal with "{{" would be read as a placeholder: an input instead. No data from before: no dependency.
      list_issues_2: { tool: "list.issues", params: { repo: "acme/x", state: "{{state}}" }, dependsOn: [] },
    });
    expect((template.inputs as { properties: unknown }).properties).toEqual({
      thenInput: { type: "string" },
      link: { type: "string" },
      mode: { type: ["string", "null"] },
      k8s_apply_2: { type: "string" },
      state: { type: "string" },
    });
    expect(plan.mode).toBe("data-flow");
    expect(plan.samplesUsed).toBe(3);
  });

  it("prefers the nearest earlier call, then the shortest path", () => {
    const run = (n: number) => [
      record(`n${n}`, "a", {}, { id: `x${n}`, deep: { id: `x${n}` } }),
      record(`n${n}`, "b", {}, { copy: { of: { id: `x${n}` } }, id: `x${n}` }),
      record(`n${n}`, "c", { id: `x${n}` }, {}),
    ];
    const template = detector.suggestWorkflow(topPattern([1, 2, 3].flatMap(run)));
    expect(template.getStep("c")).toMatchObject({ parameters: { id: "{{b.id}}" }, dependsOn: ["b"] });
  });

  it("needs the equality in every sample: a coincidence in one run is not data flow", () => {
    const run = (n: number) => [
      record(`n${n}`, "a", {}, { port: 8000 + n }),
      record(`n${n}`, "b", { port: n === 2 ? 9999 : 8000 + n }, {}),
    ];
    const template = detector.suggestWorkflow(topPattern([1, 2, 3].flatMap(run)), { parallel: true });
    expect(template.getStep("b")).toMatchObject({ parameters: { port: "{{port}}" }, dependsOn: [] });
  });

  it("reads the samples in which every call succeeded", () => {
    const run = (n: number, ok: boolean) => [
      record(`n${n}`, "a", {}, ok ? { id: `x${n}` } : undefined, { success: ok }),
      record(`n${n}`, "b", { id: ok ? `x${n}` : "?" }, {}),
    ];
    const pattern = new PatternDetector({ minSuccessRate: 0.5 }).analyzeLogs([
      ...run(1, true),
      ...run(2, false),
      ...run(3, true),
      ...run(4, true),
    ])[0]!;
    expect(pattern.samples).toHaveLength(4);
    const plan = planWorkflow(pattern);
    expect(plan.samplesUsed).toBe(3);
    expect(plan.template.getStep("b")).toMatchObject({ parameters: { id: "{{a.id}}" }, dependsOn: ["a"] });
  });

  it("makes a chain without results to compare, and without samples", () => {
    const run = (n: number) => [
      record(`n${n}`, "a", { x: n }, undefined),
      record(`n${n}`, "b", { y: "k" }, undefined),
      record(`n${n}`, "c", {}, undefined),
    ];
    // without results there is no data flow to go by: the observed order, even with parallel
    const template = detector.suggestWorkflow(topPattern([1, 2, 3].flatMap(run)), { parallel: true });
    expect(shape(template)).toEqual({
      a: { tool: "a", params: { x: "{{x}}" }, dependsOn: [] },
      b: { tool: "b", params: { y: "k" }, dependsOn: ["a"] },
      c: { tool: "c", params: {}, dependsOn: ["b"] },
    });
    const bare = detector.suggestWorkflow({ tools: ["x", "y", "x"] }, { name: "bare" });
    expect(shape(bare)).toEqual({
      x: { tool: "x", params: {}, dependsOn: [] },
      y: { tool: "y", params: {}, dependsOn: ["x"] },
      x_2: { tool: "x", params: {}, dependsOn: ["y"] },
    });
    expect(bare.description).toBe("Detected tool sequence x → y → x");
  });

  it.each([
    [{ tools: [] }, {}, "suggestWorkflow(pattern) needs a pattern whose tools are a non-empty array of tool names"],
    [{ tools: ["a", ""] }, {}, "suggestWorkflow(pattern) needs a pattern whose tools are a non-empty array of tool names"],
    [{ tools: ["a"] }, { name: "" }, "the workflow name must be a non-empty string"],
    [
      { tools: ["a"] },
      { title: "x" },
      'unknown option "title" in the suggest options. options are "name", "description", "parallel", "maps"',
    ],
    [{ tools: ["a"] }, { parallel: "yes" }, "parallel must be a boolean, got string"],
  ])("rejects %j with %j", (pattern, options, message) => {
    expect(() => detector.suggestWorkflow(pattern as never, options as never)).toThrow(new TypeError(message));
  });
});

describe("suggestedName", () => {
  it("differs per sequence: the tools joined by __, a run of one tool counted", () => {
    expect(suggestedName(["build", "push", "deploy"])).toBe("build__push__deploy");
    expect(suggestedName(["build", "scan", "deploy"])).toBe("build__scan__deploy");
    expect(suggestedName(["docker_build", "deploy_region", "deploy_region", "deploy_region", "verify-regions"])).toBe(
      "docker_build__deploy_region_x3__verify-regions",
    );
    expect(suggestedName(["solo"])).toBe("solo");
  });

  it("is <first>__<last>___<hash> when the tools are not plain or the name would be long, and never meets a plain name", () => {
    const odd = suggestedName(["list.issues", "k8s.apply"]);
    expect(odd).toMatch(/^list_issues__k8s_apply___[0-9a-f]{8}$/);
    expect(suggestedName(["list_issues", "k8s_apply"])).toBe("list_issues__k8s_apply");
    // `a_b, c` and `a, b_c` are plain and different; names that a split could confuse get a hash
    expect(suggestedName(["a__b", "c"])).not.toBe(suggestedName(["a", "b", "c"]));
    expect(suggestedName(["a_x2"])).not.toBe(suggestedName(["a", "a"]));
    const long = Array.from({ length: 5 }, (_, i) => `a_rather_long_tool_name_number_${i}`);
    expect(suggestedName(long)).toMatch(/^a_rather_long_tool_name_number_0__a_rather_long_tool_name_number_4___[0-9a-f]{8}$/);
    expect(suggestedName(long)).toBe(suggestedName([...long]));
  });

  it("gives every pattern of an analysis its own name", () => {
    const sequences = new PatternDetector({ minFrequency: 1 }).analyzeLogs([1, 2, 3].flatMap(ciRun).concat([1, 2, 3].flatMap(oddRun)), {
      closed: false,
    });
    const names = sequences.map((p) => detector.suggestWorkflow(p).name);
    expect(sequences).toHaveLength(20);
    expect(new Set(names).size).toBe(names.length);
  });
});
