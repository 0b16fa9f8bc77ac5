// Random workflow templates in the original snake_case format, for the migration property test.
import fc from "fast-check";

const IDS = ["build", "push", "deploy-us", "notify_team", "scan", "report", 'déploiement "x"'];
const TOOLS = ["docker_build", "docker_push", "kubectl_apply", "slack.send", "scan"];
const FIELDS = ["id", "url", "count", "ok", "items", "meta"];
const VARS = ["env", "replicas", "region-name", "config"];

const text = fc.constantFrom("plain", 'it\'s "quoted"', "`tick` ${x} \\ back", "ünï ✓", "", "multi\nline");
const scalar = fc.oneof(text, fc.integer({ min: -5, max: 500 }), fc.boolean(), fc.constant(null));

function placeholder(ids: readonly string[]): fc.Arbitrary<string> {
  const referable = ids.filter((id) => /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(id));
  const step = referable.length === 0 ? fc.constant(undefined) : fc.constantFrom(...referable);
  // mostly one shape per name (items: an array of objects, meta and config: objects), sometimes any path at all
  const consistent = fc.constantFrom(
    "",
    "",
    ".id",
    ".url",
    ".count",
    ".ok",
    ".items",
    ".items[0]",
    ".items[1].id",
    ".meta",
    ".meta.url",
    ".meta.count",
  );
  const wild = fc
    .array(
      fc.oneof(
        fc.constantFrom(...FIELDS).map((f) => `.${f}`),
        fc.constantFrom("[0]", "[1]"),
      ),
      { minLength: 1, maxLength: 2 },
    )
    .map((p) => p.join(""));
  const path = fc.oneof({ weight: 12, arbitrary: consistent }, { weight: 1, arbitrary: wild });
  const variable = fc.oneof(
    fc.constantFrom("{{env}}", "{{replicas}}", "{{region-name}}", "{{config}}", "{{config.count}}", "{{config.url}}"),
    wild.map((p) => `{{config${p}}}`),
  );
  return fc.oneof(
    fc.tuple(step, path).map(([s, p]) => (s === undefined ? "{{env}}" : `{{${s}${p === "" ? ".ok" : p}}}`)),
    { weight: 1, arbitrary: variable },
  );
}

function value(ids: readonly string[], depth: number): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    scalar,
    placeholder(ids),
    fc.tuple(text, placeholder(ids), placeholder(ids)).map(([t, a, b]) => `${t} ${a}/${b}`),
  );
  if (depth === 0) return leaf;
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(value(ids, depth - 1), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom("a", "b-c", "then", "ü"), value(ids, depth - 1), { maxKeys: 3 }) },
  );
}

function condition(ids: readonly string[], depth: number): fc.Arbitrary<string> {
  const referable = ids.filter((id) => /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(id));
  const operand = fc.oneof(
    placeholder(ids),
    fc.integer({ min: -3, max: 9 }).map(String),
    fc.constantFrom("'prod'", "True", "False", "None", '"it\'s"'),
  );
  const atoms = [
    fc.tuple(operand, fc.constantFrom("==", "!=", "<", ">=", ">"), operand).map(([a, op, b]) => `${a} ${op} ${b}`),
    placeholder(ids),
    ...(referable.length > 0
      ? [
          fc
            .tuple(fc.constantFrom(...referable), fc.constantFrom("== False", "== True", "!= None"))
            .map(([s, c]) => `{{${s}.success}} ${c}`),
        ]
      : []),
  ];
  const atom = fc.oneof(...atoms);
  if (depth === 0) return atom;
  return fc.oneof(
    { weight: 2, arbitrary: atom },
    {
      weight: 1,
      arbitrary: fc
        .tuple(condition(ids, depth - 1), fc.constantFrom("and", "or", "&&", "||"), condition(ids, depth - 1))
        .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    },
    { weight: 1, arbitrary: condition(ids, depth - 1).map((c) => `not (${c})`) },
  );
}

export const workflowArb = fc
  .integer({ min: 1, max: IDS.length })
  .chain((n) => fc.shuffledSubarray(IDS, { minLength: n, maxLength: n }))
  .chain((ids) =>
    fc.record({
      ids: fc.constant(ids),
      steps: fc.tuple(
        ...ids.map((id, i) =>
          fc.record(
            {
              step_id: fc.constant(id),
              tool_name: fc.constantFrom(...TOOLS),
              parameters: fc.dictionary(fc.constantFrom("image", "target", "msg", "opts"), value(ids, 2), { maxKeys: 3 }),
              depends_on: fc.subarray(ids.slice(0, i)),
              condition: fc.option(condition(ids, 2), { nil: undefined }),
              retry_count: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
              retry_delay: fc.option(fc.constantFrom(0.5, 2, 0.001), { nil: undefined }),
              timeout_seconds: fc.option(fc.constantFrom(1, 30.5), { nil: undefined }),
              description: fc.option(text, { nil: undefined }),
            },
            { requiredKeys: ["step_id", "tool_name", "parameters", "depends_on"] },
          ),
        ),
      ),
      reverse: fc.boolean(),
    }),
  )
  .map(({ steps, reverse }) => ({ description: "random", steps: reverse ? [...steps].reverse() : steps }));

/** A sub-workflow (with outputs or not) and a workflow that runs it from two steps, and reads and compares what they yield. */
export const pairArb = fc
  .record({
    sub: workflowArb,
    outputs: fc.option(fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(placeholder(IDS), text), { minKeys: 1, maxKeys: 3 }), {
      nil: undefined,
    }),
    parent: workflowArb,
    contexts: fc.tuple(
      ...["call_a", "call_b"].map(() =>
        fc.oneof(
          { weight: 3, arbitrary: fc.record(Object.fromEntries(VARS.map((v) => [v, fc.oneof(placeholder(["build"]), scalar)]))) },
          {
            weight: 1,
            arbitrary: fc.option(fc.dictionary(fc.constantFrom(...VARS), value(["build"], 1), { maxKeys: 4 }), { nil: undefined }),
          },
        ),
      ),
    ),
    read: fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...FIELDS)),
    compare: fc.option(fc.constantFrom("{{call_a.count}} > 3", "{{call_b.url}} == 'x'", "{{call_a.success}} == False"), { nil: undefined }),
  })
  .map(({ sub, outputs, parent, contexts, read, compare }) => ({
    sub: { ...sub, ...(outputs ? { outputs } : {}) },
    parent: {
      ...parent,
      steps: [
        ...parent.steps,
        ...contexts.map((context, i) => ({
          step_id: i === 0 ? "call_a" : "call_b",
          tool_name: "execute_workflow",
          parameters: { workflow: "SUB", ...(context ? { context } : {}) },
        })),
        {
          step_id: "reader",
          tool_name: "scan",
          depends_on: ["call_a", "call_b"],
          parameters: { a: `{{call_a.${read[0]}}}`, b: `{{call_b.${read[1]}}} and {{call_a}}` },
          ...(compare ? { condition: compare } : {}),
        },
      ],
    },
  }));
