import { z } from "zod";
import { describe, expect, it } from "vitest";
import {
  and,
  eq,
  failed,
  finished,
  gt,
  isTrue,
  lte,
  ne,
  not,
  or,
  succeeded,
  tool,
  workflow,
  WorkflowDefinitionError,
  type Ref,
} from "toolweave";

const listIssues = tool("github_list_issues", {
  input: z.object({ repo: z.string(), state: z.enum(["open", "closed"]).default("open") }),
  output: z.object({ issues: z.array(z.object({ id: z.number(), title: z.string(), labels: z.array(z.string()) })), total: z.number() }),
});
const createPr = tool("github_create_pr", {
  input: z.object({
    repo: z.string(),
    title: z.string(),
    body: z.string().optional(),
    meta: z.object({ issue: z.number(), labels: z.array(z.string()) }).optional(),
  }),
  output: z.object({ url: z.string(), number: z.number(), draft: z.boolean() }),
});
const notify = tool("slack_send_message", {
  input: z.object({ channel: z.string(), message: z.string() }),
  output: z.object({ ok: z.boolean() }),
});

const prFlow = workflow(
  "github_pr_workflow",
  { description: "Create PR and notify team", input: z.object({ repo: z.string(), channel: z.string().default("#deploys") }) },
  ({ input, step }) => {
    const issues = step("list_issues").tool(listIssues).with({ repo: input.repo });
    const pr = step("create_pr")
      .tool(createPr)
      .with({
        repo: input.repo,
        title: `Fix issue ${issues.out.issues[0].id}: ${issues.out.issues[0].title}`,
        meta: { issue: issues.out.issues[0].id, labels: issues.out.issues[0].labels },
      });
    step("notify")
      .tool(notify)
      .with({ channel: input.channel, message: `PR created: ${pr.out.url}` })
      .when(eq(pr.out.draft, false));
    return { url: pr.out.url, total: issues.out.total, summary: `${issues.out.total} issues` };
  },
);

describe("building templates", () => {
  it("turns references into placeholders: fields, array items, whole values and template strings", () => {
    const [list, pr, slack] = prFlow.template.toJSON().steps;
    expect(list!.parameters).toEqual({ repo: "{{repo}}" });
    expect(pr!.parameters).toEqual({
      repo: "{{repo}}",
      title: "Fix issue {{list_issues.issues[0].id}}: {{list_issues.issues[0].title}}",
      meta: { issue: "{{list_issues.issues[0].id}}", labels: "{{list_issues.issues[0].labels}}" },
    });
    expect(slack!.parameters).toEqual({ channel: "{{channel}}", message: "PR created: {{create_pr.url}}" });
    expect(slack!.condition).toBe("{{create_pr.draft}} == false");
    expect(prFlow.template.outputs).toEqual({
      url: "{{create_pr.url}}",
      total: "{{list_issues.total}}",
      summary: "{{list_issues.total}} issues",
    });
  });

  it("makes every reference a declared dependency, and inputs none", () => {
    expect(prFlow.template.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ["list_issues", []],
      ["create_pr", ["list_issues"]],
      ["notify", ["create_pr"]],
    ]);
  });

  it("lists dependencies once, in declaration order, from parameters, conditions, .after() and .then()", () => {
    const t = tool("t", { input: z.object({ a: z.unknown().optional() }), output: z.object({ ok: z.boolean(), n: z.number() }) });
    const wf = workflow("order", { description: "", input: z.object({}) }, ({ step }) => {
      const a = step("a").tool(t);
      const b = step("b").tool(t);
      const c = step("c").tool(t);
      const d = step("d")
        .tool(t)
        .with({ a: [c.out.n, a.out.n, c.out.ok] })
        .when(isTrue(b.out.ok))
        .after(a, a);
      c.then(d);
      return {};
    });
    expect(wf.template.getStep("d")!.dependsOn).toEqual(["a", "b", "c"]);
  });

  it.each([
    ["eq with a string literal (quoted and escaped)", (r: Ref<string>) => eq(r, "it's a \\ test"), "{{s.v}} == 'it\\'s a \\\\ test'"],
    ["ne with null", (r: Ref<string>) => ne(r, "x"), "{{s.v}} != 'x'"],
    [
      "and / or / not",
      (r: Ref<string>) => and(eq(r, "a"), or(ne(r, "b"), not(eq(r, "c")))),
      "({{s.v}} == 'a') and (({{s.v}} != 'b') or (not ({{s.v}} == 'c')))",
    ],
  ] as const)("compiles %s", (_name, make, expected) => {
    const t = tool("t", { input: z.object({}), output: z.object({ v: z.string(), n: z.number() }) });
    const wf = workflow("conds", { description: "", input: z.object({}) }, ({ step }) => {
      const s = step("s").tool(t);
      step("x")
        .tool(t)
        .when(make(s.out.v as Ref<string>) as never);
      return {};
    });
    expect(wf.template.getStep("x")!.condition).toBe(expected);
    expect(wf.template.getStep("x")!.dependsOn).toEqual(["s"]);
  });

  it("compiles numeric comparisons, outcomes and boolean references", () => {
    const t = tool("t", { input: z.object({}), output: z.object({ n: z.number(), flag: z.boolean() }) });
    const wf = workflow("more", { description: "", input: z.object({ limit: z.number() }) }, ({ input, step }) => {
      const s = step("s").tool(t);
      step("a")
        .tool(t)
        .when(and(gt(s.out.n, 3), lte(s.out.n, input.limit)));
      step("b").tool(t).when(failed(s));
      step("c").tool(t).when(succeeded(s));
      step("d").tool(t).when(s.out.flag);
      step("e")
        .tool(t)
        .when(finished(s, step("z").tool(t)));
      return {};
    });
    expect(wf.template.getStep("e")).toMatchObject({ condition: "{{s.success}} != null and {{z.success}} != null", dependsOn: ["s", "z"] });
    expect(["a", "b", "c", "d"].map((id) => wf.template.getStep(id)!.condition)).toEqual([
      "({{s.n}} > 3) and ({{s.n}} <= {{limit}})",
      "{{s.success}} == false",
      "{{s.success}} == true",
      "{{s.flag}}",
    ]);
  });

  it("records retries, timeouts and descriptions", () => {
    const t = tool("t", { input: z.object({}), output: z.object({}) });
    const wf = workflow("policy", { description: "d", input: z.object({}), category: "ops", tags: ["x"] }, ({ step }) => {
      step("s").tool(t).retry({ max: 3, delayMs: 250, backoff: "exponential" }).timeout(5_000).describe("flaky call");
      return {};
    });
    expect(wf.template.getStep("s")).toMatchObject({
      maxRetries: 3,
      retryDelayMs: 250,
      backoff: "exponential",
      timeoutMs: 5000,
      description: "flaky call",
    });
    expect(wf.template).toMatchObject({ category: "ops", tags: ["x"], description: "d" });
  });
});

describe("definition errors name the places", () => {
  const t = tool("t", { input: z.object({ v: z.unknown().optional() }), output: z.object({ v: z.string() }) });

  it("a duplicate step id names both declarations", () => {
    let message = "";
    try {
      workflow("dup", { description: "", input: z.object({}) }, ({ step }) => {
        step("build").tool(t);
        step("build").tool(t);
        return {};
      });
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowDefinitionError);
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^workflow "dup": step id "build" is declared twice: first at .*build\.test\.ts:(\d+):\d+, again at .*build\.test\.ts:(\d+):\d+\. step ids must be unique$/,
    );
    const [, first, again] = /:(\d+):\d+, again at .*:(\d+):\d+/.exec(message)!;
    expect(Number(again) - Number(first)).toBe(1);
  });

  it("a reference to another workflow's step names both workflows and places", () => {
    let leaked: unknown;
    workflow("a", { description: "", input: z.object({}) }, ({ step }) => {
      leaked = step("source").tool(t).out.v;
      return {};
    });
    expect(() =>
      workflow("b", { description: "", input: z.object({}) }, ({ step }) => {
        step("user")
          .tool(t)
          .with({ v: leaked as never });
        return {};
      }),
    ).toThrowError(
      /workflow "b": step "user" at .*build\.test\.ts.* uses \{\{source\.v\}\} in its parameters, but that is step "source" of workflow "a" at .*build\.test\.ts/,
    );
  });

  it("a reference from another workflow inside a template string is refused too", () => {
    let leaked: unknown;
    workflow("a2", { description: "", input: z.object({}) }, ({ step }) => {
      leaked = step("source").tool(t).out.v;
      return {};
    });
    expect(() =>
      workflow("b2", { description: "", input: z.object({}) }, ({ step }) => {
        step("user")
          .tool(t)
          .with({ v: `value: ${String(leaked)}` });
        return {};
      }),
    ).toThrowError(/uses, in a template string in its parameters, a reference from workflow "a2"/);
  });

  it("awaiting a builder rejects with a clear error instead of hanging", async () => {
    let pending: Promise<unknown> | undefined;
    workflow("awaited", { description: "", input: z.object({}) }, ({ step }) => {
      pending = (async () => await (step("s").tool(t) as unknown as Promise<unknown>))();
      return {};
    });
    await expect(pending).rejects.toThrowError('step "s" is a step builder, not a promise: remove the await');
  });

  it("references are never thenables, and refuse to be serialised", async () => {
    let ref: unknown;
    workflow("refs", { description: "", input: z.object({}) }, ({ step }) => {
      ref = step("s").tool(t).out;
      return {};
    });
    expect(await Promise.resolve(ref)).toBe(ref);
    expect(() => JSON.stringify(ref)).toThrowError(/reference \{\{s\}\} cannot be serialised/);
  });

  it.each([
    [
      "a step that reads its own result",
      ({ step }: any) => {
        const s = step("s").tool(t);
        s.with({ v: s.out.v });
      },
      /step "s" at .*build\.test\.ts.* references its own result/,
    ],
    [
      "a cycle through .after()",
      ({ step }: any) => {
        const a = step("a").tool(t);
        const b = step("b").tool(t).after(a);
        a.after(b);
      },
      /is invalid:\n {2}- dependency cycle "a -> b -> a": none of these steps can ever start\. remove one of the dependencies to break the cycle at .*build\.test\.ts/,
    ],
    ["a body that returns a promise", async () => ({}), /the body returned a promise/],
    [
      "a Date as a parameter",
      ({ step }: any) => {
        step("s")
          .tool(t)
          .with({ v: new Date(0) });
      },
      /step "s" at .* has a Date in its parameters; parameters must be JSON values or references/,
    ],
    [
      "a negative retry count",
      ({ step }: any) => {
        step("s").tool(t).retry({ max: -1 });
      },
      /step "s" at .*: \.retry\(\{ max \}\) must be a whole number of 0 or more, got -1/,
    ],
    [
      "a zero timeout",
      ({ step }: any) => {
        step("s").tool(t).timeout(0);
      },
      /\.timeout\(ms\) must be more than 0, got 0/,
    ],
    [
      "a non-tool",
      ({ step }: any) => {
        step("s").tool({ name: "fake" });
      },
      /\.tool\(\) takes a tool made with tool\(name, \{ input, output \}\)/,
    ],
    [
      "an empty step id",
      ({ step }: any) => {
        step("").tool(t);
      },
      /a step id must be a non-empty string/,
    ],
  ])("%s", (_name, body, expected) => {
    expect(() => workflow("bad", { description: "", input: z.object({}) }, (ctx) => (body(ctx) as never) ?? {})).toThrowError(expected);
  });
});
