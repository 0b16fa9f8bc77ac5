/** Loading library files: every accepted layout, the original format, and all-or-nothing loads with located errors. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LibraryFileError, WorkflowLibrary, WorkflowTemplate, type LibraryFileIssue } from "toolweave";

let dir = "";
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), "weave-library-file-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

let counter = 0;
async function fileWith(content: unknown): Promise<string> {
  const path = join(dir, `lib-${++counter}.json`);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

/** The original system's format: snake_case keys, seconds, metadata.category. */
const legacy = (name: string) => ({
  name,
  description: "from the Python system",
  metadata: { category: "ops", tags: ["legacy"] },
  steps: [
    { step_id: "fetch", tool_name: "http_get", parameters: { url: "{{url}}" }, max_retries: 2, retry_delay: 1.5 },
    { step_id: "store", tool_name: "s3_put", parameters: { body: "{{fetch.body}}" }, depends_on: ["fetch"], timeout_seconds: 30 },
  ],
});
const current = (name: string, toolName = "noop") => ({ name, steps: [{ id: "a", toolName }] });

async function loadError(path: string, options = {}): Promise<LibraryFileError> {
  const library = new WorkflowLibrary();
  const before = library.listAll();
  const error = await library.loadFromDisk(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LibraryFileError);
  expect(library.listAll()).toEqual(before); // nothing was loaded
  return error as LibraryFileError;
}

const brief = (issues: readonly LibraryFileIssue[]) =>
  issues.map(({ code, path, workflow, line, column }) => ({ code, path, workflow, line, column }));

describe("loadFromDisk: layouts", () => {
  it.each([
    ["{ version, workflows: [...] } (what saveToDisk writes)", { version: 1, workflows: [current("a"), current("b")] }],
    ["{ workflows: [...] } without a version", { workflows: [current("a"), current("b")] }],
    ["a top-level array", [current("a"), current("b")]],
    ["name → workflow", { a: current("a"), b: { steps: [{ id: "a", toolName: "noop" }] } }],
    ["{ workflows: { name → workflow } }", { version: 1, workflows: { a: current("a"), b: current("b") } }],
  ])("%s", async (_layout, content) => {
    const library = new WorkflowLibrary();
    const loaded = await library.loadFromDisk(await fileWith(content));
    expect(loaded.map((w) => w.name).sort()).toEqual(["a", "b"]);
    expect(library.get("b")?.steps[0]?.toolName).toBe("noop");
    expect(library.isBuiltin("a")).toBe(false);
  });

  it("reads a single template file", async () => {
    const library = new WorkflowLibrary({ builtins: false });
    expect((await library.loadFromDisk(await fileWith(current("solo")))).map((w) => w.name)).toEqual(["solo"]);
  });

  it("reads the original system's format (a list or a dict of snake_case workflows)", async () => {
    for (const content of [
      [legacy("old_a"), legacy("old_b")],
      { old_a: legacy("old_a"), old_b: { ...legacy("old_b"), name: undefined } },
    ]) {
      const library = new WorkflowLibrary();
      await library.loadFromDisk(await fileWith(content));
      const a = library.get("old_a")!;
      expect(a.category).toBe("ops");
      expect(a.tags).toEqual(["legacy"]);
      expect(a.steps.map((s) => [s.id, s.toolName, s.dependsOn, s.maxRetries, s.retryDelayMs, s.timeoutMs])).toEqual([
        ["fetch", "http_get", [], 2, 1500, null],
        ["store", "s3_put", ["fetch"], 0, 1000, 30_000],
      ]);
      expect(library.get("old_b")).toBeDefined();
    }
  });

  it("an empty library file loads nothing", async () => {
    const library = new WorkflowLibrary({ builtins: false });
    expect(await library.loadFromDisk(await fileWith({ version: 1, workflows: [] }))).toEqual([]);
    expect(await library.loadFromDisk(await fileWith([]))).toEqual([]);
  });

  it("a missing file is an error, or nothing with missingOk", async () => {
    const library = new WorkflowLibrary({ builtins: false });
    await expect(library.loadFromDisk(join(dir, "missing.json"))).rejects.toMatchObject({
      name: "LibraryFileError",
      issues: [{ code: "unreadable", message: "no such file" }],
    });
    expect(await library.loadFromDisk(join(dir, "missing.json"), { missingOk: true })).toEqual([]);
  });

  it("the file's version replaces a custom workflow of the same name", async () => {
    const library = new WorkflowLibrary({ builtins: false });
    library.register(new WorkflowTemplate(current("a", "before")));
    await library.loadFromDisk(await fileWith([current("a", "after")]));
    expect(library.get("a")?.steps[0]?.toolName).toBe("after");
  });
});

describe("loadFromDisk: all or nothing, every problem located", () => {
  it("one invalid workflow: nothing is loaded; the file, workflow, field, line and column are named", async () => {
    const content = `{
  "version": 1,
  "workflows": [
    { "name": "good", "steps": [{ "id": "a", "toolName": "t" }] },
    { "name": "bad", "steps": [
      { "id": "a", "toolName": "t" },
      { "id": "b", "toolName": "t", "dependsOn": ["ghost"] },
      { "id": "c", "toolName": "t", "maxRetries": -1 }
    ] }
  ]
}
`;
    const path = await fileWith(content);
    const error = await loadError(path);
    expect(error.file).toBe(path);
    expect(brief(error.issues)).toEqual([
      { code: "invalid_workflow", path: ["workflows", 1, "steps", 2, "maxRetries"], workflow: "bad", line: 8, column: 37 },
      { code: "invalid_workflow", path: ["workflows", 1, "steps", 1, "dependsOn", 0], workflow: "bad", line: 7, column: 51 },
    ]);
    expect(error.issues[1]?.templateIssue?.code).toBe("unknown_dependency");
    expect(error.message).toContain(
      `${path}:7:51: workflows[1].steps[1].dependsOn[0] ("bad"): step "b" depends on "ghost", which does not exist. steps are "a", "b", "c"`,
    );
    expect(error.message).toContain("nothing was loaded");
  });

  it("a JSON syntax error has its line and column", async () => {
    const path = await fileWith('{\n  "workflows": [\n    { "name": "a", }\n  ]\n}\n');
    const error = await loadError(path);
    expect(brief(error.issues)).toEqual([{ code: "invalid_json", path: [], workflow: undefined, line: 3, column: 20 }]);
    expect(error.message).toContain(`${path}:3:20: invalid JSON`);
  });

  it("reports every problem: duplicates, a key that is not the name, a non-object, an unsupported version", async () => {
    let error = await loadError(await fileWith([current("x"), current("x"), 42]));
    expect(brief(error.issues).map((i) => [i.code, i.path])).toEqual([
      ["duplicate_name", [1, "name"]],
      ["invalid_format", [2]],
    ]);
    expect(error.issues[0]?.message).toBe('workflow name "x" is used twice; it is first used at [0]. names must be unique');
    error = await loadError(await fileWith({ a: current("b") }));
    expect(brief(error.issues)).toEqual([{ code: "name_mismatch", path: ["a", "name"], workflow: "a", line: 3, column: 5 }]);
    error = await loadError(await fileWith({ version: 2, workflows: [] }));
    expect(error.issues.map((i) => i.code)).toEqual(["unsupported_version"]);
    error = await loadError(await fileWith('"just text"'));
    expect(error.issues.map((i) => i.code)).toEqual(["invalid_format"]);
  });

  it("refuses a workflow named like a built-in unless shadowBuiltins", async () => {
    const path = await fileWith([current("deploy_to_staging", "my_deploy"), current("fine")]);
    const error = await loadError(path);
    expect(brief(error.issues)).toEqual([{ code: "builtin_name", path: [0, "name"], workflow: "deploy_to_staging", line: 3, column: 5 }]);
    const library = new WorkflowLibrary();
    await library.loadFromDisk(path, { shadowBuiltins: true });
    expect(library.get("deploy_to_staging")?.steps[0]?.toolName).toBe("my_deploy");
    expect(library.isBuiltin("deploy_to_staging")).toBe(false);
  });

  it("locates a problem inside an original-format step at the step", async () => {
    const bad = legacy("old");
    bad.steps[1]!.depends_on = ["nowhere"];
    const path = await fileWith([bad]);
    const error = await loadError(path);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ code: "invalid_workflow", workflow: "old", path: [0, "steps", 1, "dependsOn", 0] });
    const text = await readFile(path, "utf8");
    const line = text.split("\n")[error.issues[0]!.line! - 1]!;
    expect(line.slice(error.issues[0]!.column! - 1)).toMatch(/^\{/); // the step object: "dependsOn" is "depends_on" in the file
  });
});
