// weave migrate's decisions, one at a time: the canonical template, each condition's DSL form, the inferred types,
// the dependencies made explicit, what stays a tool step, and the notes for each output format.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLibraryFile } from "../../../src/library/library-file.js";
import { WorkflowTemplate } from "../../../src/model/template.js";
import { migrate, MigrationError, migrationModules, type Migration } from "../../../cli/migrate/index.js";

const FIXTURES = path.join(import.meta.dirname, "fixtures");

async function fixture(name: string): Promise<Migration> {
  const parsed = await parseLibraryFile(readFileSync(path.join(FIXTURES, name), "utf8"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return migrate([{ file: name, workflows: parsed.workflows }]);
}

const one = (raw: object): Migration => migrate([{ file: "w.json", workflows: [WorkflowTemplate.fromJSON(raw)] }]);
const source = (m: Migration): string => migrationModules(m, (n) => `${n}.ts`)[0]!.source;
const messages = (m: Migration, format: "json" | "ts") => m.notes[format].map((n) => n.message);

describe("migrate: the template", () => {
  it("orders steps after what they wait for and read, lists dependsOn in step order, and keeps the declared dependencies", async () => {
    const m = await fixture("tricky-hidden.json");
    const [w] = m.workflows;
    expect(w!.template.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ["fetch", []],
      ["parse", ["fetch"]],
      ["store", ["parse"]],
      ["notify", []],
      ["late", ["fetch"]],
      ["early", []],
    ]);
    expect(w!.explicitDependencies).toEqual([
      { step: "store", on: "fetch", transitive: true },
      { step: "notify", on: "fetch", transitive: false },
      { step: "notify", on: "store", transitive: false },
      { step: "early", on: "late", transitive: false },
    ]);
    expect(w!.template.inputs).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { url: {} },
      required: ["url"],
    });
  });

  it("converts the original's fields: retry_count, retry_delay in seconds, timeout_seconds, metadata; trims placeholders", async () => {
    const m = await fixture("tricky-text.json");
    const t = m.workflows[0]!.template.toJSON();
    expect(t).toMatchObject({ category: "release", tags: ["notes", "ünïcode"] });
    expect(t.steps[0]!.parameters.repo).toBe("{{repo}}");
    expect(t.steps[1]).toMatchObject({ maxRetries: 2, retryDelayMs: 250, backoff: "exponential", timeoutMs: 30500 });
    expect(t.steps[3]).toMatchObject({ id: "デプロイ", toolName: "配信", timeoutMs: 5000 });
  });

  it("keeps the workflow's timeout: the original's template-level timeout_seconds is timeoutMs in the JSON and the DSL", () => {
    const m = one({ name: "nightly", timeout_seconds: 90, steps: [{ step_id: "a", tool_name: "t", parameters: {} }] });
    expect(m.workflows[0]!.template.toJSON().timeoutMs).toBe(90_000);
    expect(source(m)).toMatch(/^ {2}timeoutMs: 90000,$/m);
  });

  it("adds an empty context to a sub-workflow step without one, and normalises nothing else of it", async () => {
    const m = await fixture("tricky-subworkflows.json");
    const ship = m.workflows.find((w) => w.name === "ship")!.template;
    expect(ship.getStep("tidy_up")!.parameters).toEqual({ workflow: "tidy", context: {} });
    expect(ship.getStep("image")!.parameters).toEqual({ workflow: "build_image", context: { image: "{{app}}", tag: "v{{version}}" } });
  });
});

describe("migrate: conditions", () => {
  const cases: [string, string, string][] = [
    ["{{build.success}} == False", "{{build.success}} == false", "failed(buildStep)"],
    ["True == {{build.success}}", "{{build.success}} == true", "succeeded(buildStep)"],
    ["{{n}} >= 3", "{{n}} >= 3", "gte(input.n, 3)"],
    ["{{a.success}} != None and {{b.success}} != None", "{{a.success}} != null and {{b.success}} != null", "finished(aStep, bStep)"],
    ["not {{flag}}", "not ({{flag}})", "not(isTrue(input.flag))"],
    ["{{env}} == 'prod' || {{a.ready}}", "({{env}} == 'prod') or ({{a.ready}})", 'or(eq(input.env, "prod"), isTrue(aStep.out.ready))'],
    ["{{a.count}} > {{b.count}}", "{{a.count}} > {{b.count}}", "gt(aStep.out.count, bStep.out.count)"],
    ["{{build.error}} == None", "{{build.error}} == null", "eq(buildStep.out.error, null)"],
    [
      '!({{a.n}} < 1.5 && {{b.s}} != "it\'s")',
      "not (({{a.n}} < 1.5) and ({{b.s}} != 'it\\'s'))",
      'not(and(lt(aStep.out.n, 1.5), ne(bStep.out.s, "it\'s")))',
    ],
  ];
  for (const [condition, json, dsl] of cases) {
    it(`${condition} → ${dsl}`, () => {
      const m = one({
        name: "w",
        steps: [
          { id: "a", toolName: "t" },
          { id: "b", toolName: "t" },
          { id: "build", toolName: "docker_build" },
          { id: "x", toolName: "notify", dependsOn: ["a", "b", "build"], condition },
        ],
      });
      expect(m.workflows[0]!.template.getStep("x")!.condition).toBe(json);
      expect(source(m)).toContain(`.when(${dsl})`);
      expect(m.notes.ts).toEqual([]);
    });
  }

  it("types what a comparison tells: numbers, strings, booleans; z.any() where no one type does", () => {
    const m = one({
      name: "w",
      steps: [
        { id: "check", toolName: "health", parameters: {} },
        {
          id: "go",
          toolName: "deploy",
          dependsOn: ["check"],
          parameters: { n: "{{replicas}}" },
          condition:
            "{{replicas}} >= 3 and {{check.status}} == 'ok' and {{force}} == True and {{mixed}} == 1 and {{mixed}} == 'one' and {{check.error}} != 'x'",
        },
      ],
    });
    const text = source(m);
    expect(text).toContain("replicas: z.number(),\n    force: z.boolean(),\n    mixed: z.any(),");
    expect(text).toContain("output: z.object({ status: z.string(), error: z.any() }),");
    // a parameter takes what is passed: a reference is unknown, a literal its own type
    expect(text).toContain("input: z.object({ n: z.unknown() }),");
  });

  it("leaves out, with a TODO and a note, a condition the helpers cannot express; the step still waits for what it read", async () => {
    const m = await fixture("todo-cases.json");
    const w = m.workflows.find((x) => x.name === "inexpressible_conditions")!;
    expect(w.droppedConditions).toEqual(["constant", "interpolated", "mixed"]);
    expect(w.template.getStep("interpolated")!.condition).toBe("'{{a.region}}-1' == {{target}}");
    expect(w.plan.steps.find((s) => s.id === "mixed")!.after).toEqual([0]);
    expect(messages(m, "json")).toContain(
      'steps[3] "mixed" reads "a" without depending on it: a race (weave lint: condition-scope); --emit ts makes it a dependency',
    );
    expect(messages(m, "ts")).toContain(
      `steps[2] "interpolated": the condition "'{{a.region}}-1' == {{target}}" is left out: it compares a string with placeholders, which the DSL's condition helpers cannot express. without it the step runs whenever its dependencies complete: rewrite it with eq, gt, and, failed(step), ...`,
    );
  });
});

describe("migrate: dependencies and references", () => {
  it("says once per case, for each format, what happens to a read without a dependency", async () => {
    const m = await fixture("tricky-hidden.json");
    expect(messages(m, "ts")).toEqual([
      'steps[2] "store" read "fetch" without depending on it directly (it waited for it through "parse"): the dependency is now declared',
      'steps[3] "notify" read "fetch" without depending on it: it now waits for it',
      'steps[3] "notify" read "store" without depending on it: it now waits for it',
      'steps[4] "early" read "late" without depending on it: it now waits for it',
    ]);
    expect(messages(m, "json")).toEqual([
      'steps[3] "notify" reads "fetch" without depending on it: a race (weave lint: hidden-dependency); --emit ts makes it a dependency',
      'steps[3] "notify" reads "store" without depending on it: a race (weave lint: hidden-dependency); --emit ts makes it a dependency',
      'steps[4] "early" reads "late" without depending on it: a race (weave lint: hidden-dependency); --emit ts makes it a dependency',
    ]);
  });

  it("keeps as text (with a TODO) a read of a step that waits for the reader, and reports it for both formats", async () => {
    const m = await fixture("todo-cases.json");
    const text = migrationModules(m, (n) => `${n}.ts`).find((x) => x.workflow === "back_reference")!.source;
    expect(text).toContain('  // TODO(migrate): {{b.value}} is kept as text: "b" waits for this step, so its result cannot be read here\n');
    expect(text).toContain('const aStep = step("a").tool(tA).with({ x: "{{b.value}}", y: `from {{b.value}} and ${cStep.out.value}` });');
    // the field is still read at run time: the schema keeps it
    expect(text).toMatch(/export const tB = tool\("t_b", \{[\s\S]*?\n {2}output: z\.object\(\{ value: z\.unknown\(\) \}\),/);
    for (const format of ["json", "ts"] as const)
      expect(messages(m, format)).toContain(
        'steps[0] "a" reads "b", which waits for it: the reference cannot resolve (the original read "")',
      );
  });

  it("keeps execute_workflow steps as tool steps when the DSL cannot run them with .workflow(), saying why", async () => {
    const m = await fixture("todo-cases.json");
    const notes = messages(m, "ts");
    expect(notes).toContain(
      'steps[0] "missing": it runs workflow "not_migrated", which is not among the migrated files: migrate it with this one to make this a .workflow() step, or run with a library that has it',
    );
    expect(notes).toContain(
      'steps[1] "inline": it runs a sub-workflow written inline: save it as a workflow of its own and migrate the two together to make this a .workflow() step',
    );
    expect(notes).toContain(
      'steps[4] "loop": it runs workflow "outer_calls", which is this workflow: the DSL cannot declare a workflow that runs itself',
    );
    const sub = await fixture("tricky-subworkflows.json");
    expect(messages(sub, "ts")).toEqual([
      'steps[3] "again": it does not pass "image", which sub-workflow "build_image" reads: it stays a step of the execute_workflow tool',
    ]);
    expect(sub.workflows.find((w) => w.name === "ship")!.subWorkflows).toEqual(["build_image", "tidy"]);
  });

  it("declares a tool once among workflows that run one another, and imports it elsewhere", async () => {
    const m = await fixture("tricky-subworkflows.json");
    const modules = new Map(migrationModules(m, (n) => `${n}.ts`).map((x) => [x.workflow, x.source]));
    expect(modules.get("build_image")).toContain('export const dockerBuild = tool("docker_build", {');
    expect(modules.get("release_all")).toContain(
      'import { ship, slackSendMessage } from "./ship.js";\nimport { dockerBuild } from "./build_image.js";',
    );
    expect(modules.get("release_all")).not.toContain("= tool(");
    // a sub-workflow's output read by the caller and compared: typed from the comparison, in the tool that produces it
    expect(modules.get("build_image")).toContain("output: z.object({ image_id: z.unknown(), size_mb: z.number() }),");
  });
});

describe("migrate: input it refuses", () => {
  it("two workflows of one name, and a parameter key TypeScript cannot write", () => {
    const w = new WorkflowTemplate({ name: "w", steps: [{ id: "a", toolName: "t", parameters: JSON.parse('{"__proto__": 1}') }] });
    expect(() =>
      migrate([
        { file: "a.json", workflows: [w] },
        { file: "b.json", workflows: [w] },
      ]),
    ).toThrow(MigrationError);
    try {
      migrate([
        { file: "a.json", workflows: [w] },
        { file: "b.json", workflows: [w] },
      ]);
    } catch (error) {
      expect((error as MigrationError).problems.map((p) => [p.file, p.message])).toEqual([
        ["a.json", 'the key "__proto__" cannot be written in TypeScript (an object literal would set its prototype): rename it'],
        ["b.json", "a workflow of this name is also in a.json: names must be unique"],
      ]);
    }
  });

  it("keeps a template's own inputs schema, in the JSON and as zod in the source", () => {
    const inputs = {
      type: "object",
      properties: {
        image: { type: "string", default: "app" },
        n: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "how many" },
      },
      required: ["n"],
    };
    const m = one({ name: "w", inputs, steps: [{ id: "a", toolName: "t", parameters: { image: "{{image}}" }, condition: "{{n}} > 2" }] });
    expect(m.workflows[0]!.template.inputs).toEqual(inputs);
    expect(source(m)).toContain(
      '  input: z.object({\n    image: z.string().default("app"),\n    n: z.number().int().min(1).describe("how many"),\n  }),',
    );
    expect(m.notes.ts).toEqual([]);
  });

  it("says so when the source cannot keep a template's inputs schema (a type its use contradicts, JSON Schema it does not convert)", () => {
    const contradicted = one({
      name: "w",
      inputs: { type: "object", properties: { n: { type: "string" } }, required: ["n"] },
      steps: [{ id: "a", toolName: "t", condition: "{{n}} > 2" }],
    });
    expect(contradicted.workflows[0]!.template.inputs).toEqual({ type: "object", properties: { n: { type: "string" } }, required: ["n"] });
    expect(messages(contradicted, "ts")).toEqual([
      'its inputs JSON Schema is not carried over ("n" is declared a string, and used as another type): the input below is inferred from the placeholders. add the defaults, descriptions and types it had',
    ]);
    expect(source(contradicted)).toContain("n: z.number(),");
    const pattern = one({
      name: "w",
      inputs: { type: "object", properties: { n: { type: "string", pattern: "^a" } } },
      steps: [{ id: "a", toolName: "t", parameters: { n: "{{n}}" } }],
    });
    expect(messages(pattern, "ts")[0]).toContain("(it uses JSON Schema the migration does not convert)");
  });
});

describe("migrate: failure handlers that read the failed step's result (issue 13)", () => {
  // the user guide's "Error Recovery" snippet, with the deploy it handles
  const GUIDE = {
    name: "deploy_with_cleanup",
    description: "Deploy; clean up after a failed deployment",
    steps: [
      { id: "deploy", tool_name: "kubectl_apply", parameters: { manifest: "{{manifest}}" } },
      {
        id: "cleanup",
        tool_name: "cleanup_resources",
        parameters: { resource_id: "{{deploy.resource_id}}" },
        depends_on: ["deploy"],
        condition: "{{deploy.success}} == False", // Only run on failure
        description: "Cleanup after failed deployment",
      },
    ],
  };

  it("notes the guide's cleanup for --emit json (stderr) and --emit ts (stderr and a comment above the step): ToolError, or .error", () => {
    const m = one(GUIDE);
    expect(messages(m, "json")).toEqual([
      'steps[1] "cleanup" runs only when "deploy" failed, but reads "{{deploy.resource_id}}" from its result: a failed step has a result only when its tool throws ToolError(message, { result }), otherwise the reference cannot resolve and this step fails too (weave lint: failed-step-result). read "{{deploy.error}}" (the failure\'s message) instead, or have the tool throw a ToolError whose result has that field',
    ]);
    const ts =
      'this step runs only when "deploy" failed, but reads resource_id of its result: a failed step has a result only when its tool\'s run throws fail(message, { result }) (a ToolError); otherwise the reference cannot resolve and this step fails too. read .error of "deploy" (the failure\'s message) instead, or make the tool fail with a result that has that field';
    expect(messages(m, "ts")).toEqual([`steps[1] "cleanup": ${ts}`]);
    expect(source(m)).toContain(
      `  // TODO(migrate): ${ts}\n  step("cleanup").tool(cleanupResources).with({ resource_id: deployStep.out.resource_id })\n    .when(failed(deployStep))`,
    );
  });

  it("lists every field read, in the parameters then the condition, for each step handled; not the facts, nor other steps' results", () => {
    const m = one({
      name: "w",
      steps: [
        { id: "build", toolName: "t" },
        { id: "a", toolName: "t", dependsOn: ["build"] },
        { id: "b", toolName: "t", dependsOn: ["build"] },
        {
          id: "h",
          toolName: "t",
          dependsOn: ["build", "a", "b"],
          condition: "(not {{a.success}} or {{b.error}} != None) and {{a.code}} != 3",
          parameters: { id: "{{build.id}}", a: "{{a.items[0].id}}", why: "{{a.error}} {{b.error}}", all: "{{b}}" },
        },
      ],
    });
    expect(messages(m, "json").map((n) => n.slice(0, n.indexOf(" from its result")))).toEqual([
      'steps[3] "h" runs only when "a" failed, but reads "{{a.items[0].id}}", "{{a.code}}"',
      'steps[3] "h" runs only when "b" failed, but reads "{{b}}"',
    ]);
    expect(
      messages(m, "ts")
        .filter((n) => n.includes("runs only when"))
        .map((n) => n.slice(0, n.indexOf(" of its result"))),
    ).toEqual([
      'steps[3] "h": this step runs only when "a" failed, but reads items[0].id, code',
      'steps[3] "h": this step runs only when "b" failed, but reads the whole result',
    ]);
  });

  it("says nothing for a handler that reads only .error and .success, or a step that runs on success or always", () => {
    for (const condition of ["{{deploy.success}} == True", "{{deploy.success}} != None", "{{deploy.resource_id}} != None"]) {
      const m = one({
        name: "w",
        steps: [
          { id: "deploy", toolName: "t" },
          { id: "next", toolName: "t", dependsOn: ["deploy"], condition, parameters: { id: "{{deploy.resource_id}}" } },
        ],
      });
      expect(m.notes.json, condition).toEqual([]);
    }
    const errorOnly = one({
      name: "w",
      steps: [
        { id: "deploy", toolName: "t" },
        { id: "h", toolName: "t", dependsOn: ["deploy"], condition: "not {{deploy.success}}", parameters: { why: "{{deploy.error}}" } },
      ],
    });
    expect(errorOnly.notes.json).toEqual([]);
    expect(errorOnly.notes.ts).toEqual([]);
  });
});
