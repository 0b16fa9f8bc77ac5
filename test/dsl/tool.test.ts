// tool() and withOutput(): a tool keeps what its server says of it (the MCP annotations) as frozen plain data.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { tool, withOutput } from "toolweave";

const input = z.object({ path: z.string(), oldText: z.string(), newText: z.string() });

describe("tool annotations", () => {
  it("tool() keeps them, frozen, as a copy of what it was given", () => {
    const given = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, title: "Edit file" };
    const editFile = tool("files.edit_file", { input, output: z.unknown(), annotations: given });
    expect(editFile.annotations).toEqual(given);
    expect(Object.isFrozen(editFile.annotations)).toBe(true);
    expect(Object.isFrozen(given)).toBe(false);
    given.idempotentHint = true;
    expect(editFile.annotations?.idempotentHint).toBe(false);
  });

  it("a tool defined without them has none", () => {
    const plain = tool("plain", { input, output: z.object({}) });
    expect(plain.annotations).toBeUndefined();
    expect("annotations" in plain).toBe(false);
  });

  it("withOutput() keeps them, with the name, input, description and implementation", () => {
    const run = async () => '["a"]';
    const listed = tool("files.list", {
      input: z.object({ path: z.string() }),
      output: z.unknown(),
      description: "List a directory",
      annotations: { readOnlyHint: true, idempotentHint: true },
      run,
    });
    const typed = withOutput(listed, z.array(z.string()), (text) => JSON.parse(text as string));
    expect(typed).toMatchObject({ name: "files.list", description: "List a directory", input: listed.input, run });
    expect(typed.annotations).toEqual({ readOnlyHint: true, idempotentHint: true });
    expect(withOutput(tool("plain", { input, output: z.unknown() }), z.string()).annotations).toBeUndefined();
  });
});
