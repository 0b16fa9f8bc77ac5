// A user's program: the package imported by name from a plain Node ES module (no TypeScript, no bundler), as
// installed from the registry. Prints one JSON object with what each feature did; publish.test.ts asserts on it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { z } from "zod";
import { MissingPackageError, tool, workflow } from "toolweave";
import { lint } from "toolweave/compiler";
import { BullmqInvoker } from "toolweave/distributed";

const report = {};

// the DSL: two typed tools, a workflow whose second step reads the first's output
const greet = tool("greet", {
  input: z.object({ name: z.string() }),
  output: z.object({ text: z.string() }),
  run: async ({ name }) => ({ text: `hello ${name}` }),
});
const shout = tool("shout", {
  input: z.object({ text: z.string() }),
  output: z.object({ text: z.string(), length: z.number().int() }),
  run: async ({ text }) => ({ text: `${text.toUpperCase()}!`, length: text.length }),
});
const hello = workflow(
  "hello",
  { description: "greet, then shout the greeting", input: z.object({ name: z.string().default("world") }) },
  ({ input, step }) => {
    const greeting = step("greet").tool(greet).with({ name: input.name });
    const loud = step("shout").tool(shout).with({ text: greeting.out.text });
    return { text: loud.out.text, length: loud.out.length };
  },
);
const result = await hello.run({ name: "weave" });
report.run = {
  status: result.status,
  error: result.error ?? null,
  outputs: result.outputs,
  completed: result.completedSteps.map((s) => s.id),
  dependsOn: Object.fromEntries(hello.template.toJSON().steps.map((s) => [s.id, s.dependsOn ?? []])),
};

// the compiler on a JSON template whose step reads another it does not depend on
const linted = await lint({ cwd: process.cwd(), paths: [process.argv[2] ?? "hidden.workflow.json"] });
report.lint = { files: linted.files, diagnostics: linted.diagnostics.map((d) => ({ ruleId: d.ruleId, severity: d.severity, message: d.message })) };

// the JSON Schema, by its export
const schemaPath = createRequire(import.meta.url).resolve("toolweave/template.schema.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
report.schema = { path: schemaPath, title: schema.title, $schema: schema.$schema, properties: Object.keys(schema.properties ?? {}) };

// the distributed engine without its optional peer dependencies (bullmq, ioredis)
const invoker = new BullmqInvoker({ redis: "redis://127.0.0.1:1", onError: () => undefined });
try {
  await invoker.waitUntilReady();
  report.missing = { thrown: false };
} catch (error) {
  report.missing = {
    thrown: true,
    name: error?.name,
    isMissingPackageError: error instanceof MissingPackageError,
    packageName: error?.packageName,
    message: String(error?.message),
  };
} finally {
  await invoker.close();
}

process.stdout.write(`${JSON.stringify(report)}\n`);
