import { runRule } from "./run-rule.js";

const step = (id: string, deps: string[] = []) => `{"id": "${id}", "toolName": "t", "dependsOn": ${JSON.stringify(deps)}}`;
const wf = (...steps: string[]) => `{"name": "w", "steps": [${steps.join(", ")}]}`;
/** A cycle of n steps s0 <- s1 <- ... <- s(n-1) <- s0, each depending on the one before. */
const ring = (n: number) => wf(...Array.from({ length: n }, (_, i) => step(`s${i}`, [`s${(i + n - 1) % n}`])));
const ring9 = ring(9);
const firstDependsOn = (code: string) => {
  const at = code.indexOf('"dependsOn": ') + '"dependsOn": '.length;
  return { line: 1, column: at + 1, endLine: 1, endColumn: code.indexOf("]", at) + 2 };
};

runRule("cycle", {
  valid: [
    // the original system's fault: a step whose two parents are at different depths is not a cycle
    wf(step("a"), step("b", ["a"]), step("c", ["b"]), step("d", ["a", "c"])),
    // a diamond
    wf(step("root"), step("left", ["root"]), step("right", ["root"]), step("join", ["left", "right"])),
    // declared out of order
    wf(step("d", ["c", "a"]), step("c", ["b"]), step("b", ["a"]), step("a")),
    // a self-dependency is reported by self-dependency, not as a cycle
    wf(step("a", ["a"])),
  ],
  invalid: [
    {
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t", "dependsOn": ["b"]}, {"id": "b", "toolName": "t", "dependsOn": ["a"]}]}',
      errors: [{ messageId: "cycle", data: { cycle: "a -> b -> a" }, line: 1, column: 67, endLine: 1, endColumn: 72 }],
    },
    {
      name: "named from the earliest step, in execution order",
      code: '{"name": "w", "steps": [{"id": "x", "toolName": "t"}, {"id": "c", "toolName": "t", "dependsOn": ["b"]}, {"id": "b", "toolName": "t", "dependsOn": ["a"]}, {"id": "a", "toolName": "t", "dependsOn": ["c", "x"]}]}',
      errors: [
        {
          message:
            'dependency cycle "c -> a -> b -> c": none of these steps can ever start. remove one of the dependencies to break the cycle',
          line: 1,
          column: 97,
          endLine: 1,
          endColumn: 102,
        },
      ],
    },
    {
      name: "two separate cycles, each reported once",
      code: '{"name": "w", "steps": [{"id": "a", "toolName": "t", "dependsOn": ["b"]}, {"id": "b", "toolName": "t", "dependsOn": ["a"]}, {"id": "c", "toolName": "t", "dependsOn": ["d"]}, {"id": "d", "toolName": "t", "dependsOn": ["c"]}]}',
      errors: [
        { messageId: "cycle", data: { cycle: "a -> b -> a" }, line: 1, column: 67, endLine: 1, endColumn: 72 },
        { messageId: "cycle", data: { cycle: "c -> d -> c" }, line: 1, column: 167, endLine: 1, endColumn: 172 },
      ],
    },
    {
      name: "eight steps are named in full",
      code: ring(8),
      errors: [{ messageId: "cycle", data: { cycle: "s0 -> s1 -> s2 -> s3 -> s4 -> s5 -> s6 -> s7 -> s0" }, ...firstDependsOn(ring(8)) }],
    },
    {
      name: "a longer cycle: its first steps, how many are left out, its last step, and its length",
      code: ring9,
      errors: [
        {
          messageId: "longCycle",
          data: { count: 9, cycle: "s0 -> s1 -> s2 -> s3 -> s4 -> ... (3 more) -> s8 -> s0" },
          ...firstDependsOn(ring9),
        },
      ],
    },
    {
      name: "snake_case depends_on",
      code: '{"name": "w", "steps": [{"step_id": "a", "tool_name": "t", "depends_on": ["b"]}, {"step_id": "b", "tool_name": "t", "depends_on": ["a"]}]}',
      errors: [{ messageId: "cycle", data: { cycle: "a -> b -> a" }, line: 1, column: 74, endLine: 1, endColumn: 79 }],
    },
  ],
});
