/**
 * Generated long dependency chains, for the linear-lint regression tests and the compiler benchmark: a DSL file and
 * a JSON template of N steps where each step reads the one before it, each with a few deliberate findings at known
 * steps, and a JSON template whose N steps form one cycle. No vitest here, so the benchmark can use it too.
 */

/** Step ids of the chains: `s0`, `s1`, ... */
export const chainStep = (i: number): string => `s${i}`;

/**
 * A DSL workflow `chain_<n>` of `n` steps (n ≥ 4): step i reads `s(i-1).out.value`. Findings: the last step reads
 * `s(n-2).out.valeu` (`unknown-field`, did you mean "value"). Step 2 also waits for step 0 with `.after()` without reading
 * it, which is no finding: a step waiting for two steps is a join, not the guide's chain (`unnecessary-serialization`).
 */
export function dslChain(n: number): string {
  const lines = [
    'import { z } from "zod";',
    'import { tool, workflow } from "toolweave";',
    "",
    'export const pass = tool("pass", { input: z.object({ value: z.string() }), output: z.object({ value: z.string() }) });',
    "",
    `export const chain = workflow("chain_${n}", { input: z.object({ seed: z.string() }) }, ({ input, step }) => {`,
    '  const s0 = step("s0").tool(pass).with({ value: input.seed });',
  ];
  for (let i = 1; i < n; i++) {
    const prev = chainStep(i - 1);
    const field = i === n - 1 ? "valeu" : "value";
    const after = i === 2 ? ".after(s0)" : "";
    lines.push(`  const s${i} = step("s${i}").tool(pass).with({ value: ${prev}.out.${field} })${after};`);
  }
  lines.push(`  return { last: s${n - 1}.out.value };`, "});", "");
  return lines.join("\n");
}

/**
 * A JSON template `chain_<n>` of `n` steps (n ≥ 4), one per line: step i depends on and reads step i-1. Findings: the
 * last step also reads `{{s0.value}}` (`implicit-dependency`, ordered only through s(n-2)), step 1 reads
 * `{{s(n-1).value}}`, which runs after it (`hidden-dependency`), and the last step's condition reads s0
 * (`condition-scope`, transitive).
 */
export function jsonChain(n: number): string {
  const last = n - 1;
  const steps: string[] = [];
  for (let i = 0; i < n; i++) {
    const params: Record<string, string> = {};
    if (i > 0) params.value = `{{${chainStep(i - 1)}.value}}`;
    if (i === 1) params.late = `{{${chainStep(last)}.value}}`;
    if (i === last) params.first = `{{s0.value}}`;
    const step: Record<string, unknown> = { id: chainStep(i), toolName: "pass", parameters: params };
    if (i > 0) step.dependsOn = [chainStep(i - 1)];
    if (i === last) step.condition = "{{s0.success}} == true";
    steps.push(`    ${JSON.stringify(step)}`);
  }
  return `{\n  "name": "chain_${n}",\n  "steps": [\n${steps.join(",\n")}\n  ]\n}\n`;
}

/** A JSON template `cycle_<n>` of `n` steps in one cycle: step i depends on step i-1, and step 0 on the last. */
export function jsonCycle(n: number): string {
  const steps: string[] = [];
  for (let i = 0; i < n; i++) {
    const dep = chainStep(i === 0 ? n - 1 : i - 1);
    steps.push(
      `    ${JSON.stringify({ id: chainStep(i), toolName: "pass", parameters: { value: `{{${dep}.value}}` }, dependsOn: [dep] })}`,
    );
  }
  return `{\n  "name": "cycle_${n}",\n  "steps": [\n${steps.join(",\n")}\n  ]\n}\n`;
}
