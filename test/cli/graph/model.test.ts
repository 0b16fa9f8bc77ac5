// The graph of a workflow: edge kinds read from the compiled template, failure handlers, sub-workflows.
import { describe, expect, it } from "vitest";
import { parseCondition } from "../../../src/condition/index.js";
import { classifyOutcome } from "../../../src/condition/outcome.js";
import { buildGraph, type GraphEdge } from "../../../cli/graph/model.js";
import type { JsonValue } from "../../../src/model/schema.js";
import { WorkflowTemplate } from "../../../src/model/template.js";

const edge = (edges: readonly GraphEdge[], from: string, to: string): GraphEdge | undefined =>
  edges.find((e) => e.from === from && e.to === to);

describe("buildGraph", () => {
  it("tells data, ordering-only and failure-handler edges apart", () => {
    const template = new WorkflowTemplate({
      name: "deploy_to_staging",
      inputs: { type: "object", properties: { image: { type: "string" }, env: { type: "string" } } },
      outputs: { url: "{{deploy.url}}", id: "{{build.imageId}}" },
      steps: [
        { id: "build", toolName: "docker_build", parameters: { image: "{{image}}" } },
        {
          id: "push",
          toolName: "docker_push",
          parameters: { imageId: "{{build.imageId}}", tag: "{{build.tags[0]}}" },
          dependsOn: ["build"],
        },
        {
          id: "deploy",
          toolName: "kubectl_apply",
          parameters: { manifest: "staging.yaml" },
          dependsOn: ["push"],
          maxRetries: 2,
          retryDelayMs: 1000,
          backoff: "exponential",
          timeoutMs: 60000,
        },
        {
          id: "cleanup",
          toolName: "cleanup_resources",
          parameters: { reason: "{{deploy.error}}" },
          dependsOn: ["deploy"],
          condition: "{{deploy.success}} == False",
        },
      ],
    });
    const graph = buildGraph(template);
    expect(graph.edges).toEqual([
      { from: "build", to: "push", kind: "data", reads: ["imageId", "tags[0]"] },
      { from: "push", to: "deploy", kind: "order", reads: [] },
      { from: "deploy", to: "cleanup", kind: "outcome", outcome: "failure", reads: [] },
    ]);
    const deploy = graph.nodes[2]!;
    expect(deploy).toMatchObject({
      id: "deploy",
      toolName: "kubectl_apply",
      maxRetries: 2,
      backoff: "exponential",
      timeoutMs: 60000,
      inputs: [],
    });
    expect(graph.nodes[3]).toMatchObject({ condition: "{{deploy.success}} == False", handles: "failure" });
    expect(graph.nodes[0]!.inputs).toEqual(["image"]);
    // the schema's variables in its order, then others read
    expect(graph.inputs).toEqual(["image", "env"]);
    expect(graph.outputs).toEqual([
      { name: "url", steps: ["deploy"] },
      { name: "id", steps: ["build"] },
    ]);
  });

  it("a diamond: one edge per dependency, none duplicated, reads merged from parameters and condition", () => {
    const template = new WorkflowTemplate({
      name: "diamond",
      steps: [
        { id: "a", toolName: "t", parameters: { n: "{{count}}" } },
        { id: "b", toolName: "t", parameters: { x: "{{a.x}}" }, dependsOn: ["a"] },
        { id: "c", toolName: "t", parameters: { y: "prefix-{{a.y}}" }, dependsOn: ["a", "a"] },
        {
          id: "d",
          toolName: "t",
          parameters: { all: ["{{b}}", "{{c.z}}"] },
          dependsOn: ["b", "c"],
          condition: "{{b.ok}} == true and {{size}} > 3",
        },
      ],
    });
    const graph = buildGraph(template);
    expect(graph.edges.map((e) => `${e.from}->${e.to}:${e.kind}`)).toEqual(["a->b:data", "a->c:data", "b->d:data", "c->d:data"]);
    expect(edge(graph.edges, "b", "d")!.reads).toEqual(["", "ok"]);
    expect(graph.inputs).toEqual(["count", "size"]);
    expect(graph.nodes[3]!.handles).toBeUndefined();
  });

  it("the DSL's finished() is an 'always' edge; a mixed condition is a plain outcome check", () => {
    const template = new WorkflowTemplate({
      name: "w",
      steps: [
        { id: "start", toolName: "t" },
        { id: "work", toolName: "t", dependsOn: ["start"] },
        {
          id: "stop",
          toolName: "t",
          parameters: { id: "{{start.id}}" },
          dependsOn: ["start", "work"],
          condition: "{{work.success}} != null",
        },
        { id: "report", toolName: "t", dependsOn: ["work"], condition: "{{work.success}} == false and {{work.error}} == 'timeout'" },
      ],
    });
    const graph = buildGraph(template);
    expect(edge(graph.edges, "work", "stop")).toMatchObject({ kind: "outcome", outcome: "always" });
    expect(edge(graph.edges, "start", "stop")).toMatchObject({ kind: "data", reads: ["id"] });
    expect(graph.nodes[2]!.handles).toBe("always");
    expect(edge(graph.edges, "work", "report")).toMatchObject({ kind: "outcome", outcome: "outcome" });
    expect(graph.nodes[3]!.handles).toBeUndefined();
  });

  it("a failure handler of two steps (or) handles failure; the error a handler reads is not a data field", () => {
    const template = new WorkflowTemplate({
      name: "w",
      steps: [
        { id: "migrate", toolName: "t" },
        { id: "activate", toolName: "t", dependsOn: ["migrate"] },
        {
          id: "cleanup",
          toolName: "t",
          parameters: { why: "{{migrate.error}}", dir: "{{migrate.dir}}" },
          dependsOn: ["migrate", "activate"],
          condition: "({{migrate.success}} == false) or ({{activate.success}} == false)",
        },
      ],
    });
    const graph = buildGraph(template);
    expect(edge(graph.edges, "migrate", "cleanup")).toEqual({
      from: "migrate",
      to: "cleanup",
      kind: "outcome",
      outcome: "failure",
      reads: ["dir"],
    });
    expect(edge(graph.edges, "activate", "cleanup")).toMatchObject({ kind: "outcome", outcome: "failure" });
    expect(graph.nodes[2]!.handles).toBe("failure");
  });

  it("marks a result read without waiting (not in dependsOn) as unordered", () => {
    const template = new WorkflowTemplate({
      name: "w",
      steps: [
        { id: "a", toolName: "t" },
        { id: "b", toolName: "t", parameters: { v: "{{a.value}}" } },
      ],
    });
    expect(buildGraph(template).edges).toEqual([{ from: "a", to: "b", kind: "unordered", reads: ["value"] }]);
  });

  it("names the workflow a sub-workflow step runs: by name, embedded template, or placeholder", () => {
    const template = new WorkflowTemplate({
      name: "nightly",
      steps: [
        { id: "backup", toolName: "execute_workflow", parameters: { workflow: "database_backup", context: { db: "{{db}}" } } },
        {
          id: "inline",
          toolName: "execute_workflow",
          parameters: { workflow: { name: "embedded", steps: [{ id: "x", toolName: "t", parameters: { v: "{{inner}}" } }] } },
        },
        { id: "dynamic", toolName: "execute_workflow", parameters: { workflow: "{{which}}" } },
        { id: "plain", toolName: "t", parameters: { workflow: "not a sub-workflow" } },
      ],
    });
    const [backup, inline, dynamic, plain] = buildGraph(template).nodes;
    expect(backup!.subWorkflow).toBe("database_backup");
    expect(inline!.subWorkflow).toBe("embedded");
    expect(dynamic!.subWorkflow).toBe("{{which}}");
    expect(plain!.subWorkflow).toBeUndefined();
    // the embedded template's own placeholders belong to the sub-run, not to this workflow's inputs
    expect(buildGraph(template).inputs).toEqual(["db", "which"]);
  });
});

describe("classifyOutcome", () => {
  const kind = (condition: string, dep = "d"): string => classifyOutcome(parseCondition(condition).ast, dep);
  it.each([
    ["{{d.success}} == false", "failure"],
    ["{{d.success}} == False", "failure"],
    ["{{d.success}} != true", "failure"],
    ["not {{d.success}}", "failure"],
    ["!({{d.success}} == true)", "failure"],
    ["{{d.error}} != null", "failure"],
    ["{{d.error}}", "failure"],
    ["{{d.success}} == true", "success"],
    ["{{d.success}}", "success"],
    ["{{d.error}} == None", "success"],
    ["{{d.success}} != null", "always"],
    ["{{d.success}} == null", "outcome"],
    ["{{d.error}} == 'boom'", "outcome"],
    ["{{d.success}} == true or {{d.success}} == false", "outcome"],
    ["{{d.success}} == false and {{x}} > 2", "failure"],
  ])("%s → %s", (condition, expected) => {
    expect(kind(condition)).toBe(expected);
  });
});

describe("buildGraph of map steps", () => {
  const regions = (forEach: string, inputs?: Record<string, JsonValue>) =>
    new WorkflowTemplate({
      name: "w",
      ...(inputs === undefined ? {} : { inputs: { type: "object", properties: inputs } }),
      steps: [
        { id: "list", toolName: "t" },
        {
          id: "deploy",
          toolName: "t",
          dependsOn: ["list"],
          forEach,
          as: "region",
          concurrency: 2,
          parameters: { name: "{{region.name}}", slot: "{{index}}", env: "{{env}}" },
          condition: "{{region.enabled}} == true",
        },
      ],
    });

  it("reads the list like a parameter; the item and its index are not variables", () => {
    const graph = buildGraph(regions("{{list.regions}}"));
    expect(graph.edges).toEqual([{ from: "list", to: "deploy", kind: "data", reads: ["regions"] }]);
    expect(graph.nodes[1]).toMatchObject({ inputs: ["env"], map: { forEach: "{{list.regions}}", itemName: "region", concurrency: 2 } });
    expect(graph.nodes[1]!.map).not.toHaveProperty("count");
    expect(graph.inputs).toEqual(["env"]);
    expect(graph.nodes[0]).not.toHaveProperty("map");
  });

  it.each<[string, string, Record<string, JsonValue>, { count?: number; defaultCount?: number }]>([
    ["a const list pins the length", "{{targets}}", { targets: { type: "array", const: ["eu", "us", "ap"] } }, { count: 3 }],
    ["so do minItems and maxItems", "{{targets}}", { targets: { type: "array", minItems: 2, maxItems: 2 } }, { count: 2 }],
    ["a default is only a default", "{{targets}}", { targets: { type: "array", default: ["eu"] } }, { defaultCount: 1 }],
    [
      "a list inside a default",
      "{{config.targets}}",
      { config: { type: "object", default: { targets: ["a", "b"] } } },
      { defaultCount: 2 },
    ],
    ["a bound that is not pinned says nothing", "{{targets}}", { targets: { type: "array", minItems: 1 } }, {}],
    ["a step's result is not known before the run", "{{list.regions}}", { list: { default: [1] } }, {}],
  ])("the list's length: %s", (_, forEach, inputs, known) => {
    const map = buildGraph(regions(forEach, inputs)).nodes[1]!.map!;
    expect({ count: map.count, defaultCount: map.defaultCount }).toEqual({ count: undefined, defaultCount: undefined, ...known });
  });
});
