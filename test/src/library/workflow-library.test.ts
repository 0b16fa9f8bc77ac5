/** WorkflowLibrary in memory: registering, looking up, searching, suggesting, and resolving sub-workflows. */
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { tool, workflow } from "toolweave";
import {
  BuiltinNameError,
  WorkflowContext,
  WorkflowExecutor,
  WorkflowExistsError,
  WorkflowLibrary,
  WorkflowTemplate,
  WorkflowValidationError,
} from "toolweave";

const names = (ws: readonly WorkflowTemplate[]): string[] => ws.map((w) => w.name);

function template(
  name: string,
  options: { tools?: string[]; description?: string; category?: string; tags?: string[] } = {},
): WorkflowTemplate {
  const tools = options.tools ?? ["noop"];
  return new WorkflowTemplate({
    name,
    description: options.description ?? "",
    category: options.category ?? "general",
    tags: options.tags ?? [],
    steps: tools.map((toolName, i) => ({ id: `s${i}`, toolName, dependsOn: i === 0 ? [] : [`s${i - 1}`] })),
  });
}

describe("register, get, listAll", () => {
  it("starts with the built-ins, sorted by name", () => {
    const library = new WorkflowLibrary();
    expect(names(library.listAll())).toEqual([
      "ci_test_suite",
      "data_pipeline_etl",
      "database_backup",
      "database_migration",
      "deploy_multi_region",
      "deploy_to_staging",
      "docker_build_scan_push",
      "github_pr_workflow",
      "incident_response",
      "slack_notification_chain",
    ]);
    expect(library.get("github_pr_workflow")?.steps.map((s) => s.toolName)).toEqual([
      "github_list_issues",
      "github_create_pr",
      "slack_send_message",
    ]);
    expect(library.isBuiltin("github_pr_workflow")).toBe(true);
    expect(library.get("nope")).toBeUndefined();
    expect(new WorkflowLibrary({ builtins: false }).listAll()).toEqual([]);
  });

  it("registers custom workflows (templates or DSL workflows); replaces one of the same name only with replace: true", () => {
    const library = new WorkflowLibrary({ builtins: false });
    const first = library.register(template("mine", { tools: ["a"] }));
    expect(library.get("mine")).toBe(first);
    expect(library.isBuiltin("mine")).toBe(false);
    const clash = (() => {
      try {
        library.register(template("mine", { tools: ["b"] }));
      } catch (error) {
        return error;
      }
    })();
    expect(clash).toBeInstanceOf(WorkflowExistsError);
    expect(clash).toMatchObject({ name: "WorkflowExistsError", workflowName: "mine" });
    expect((clash as Error).message).toBe(
      'a workflow named "mine" is already in the library; nothing was changed. register it with { replace: true } to replace that workflow, or give yours another name',
    );
    // unchanged: still the first, found by its tool
    expect(library.get("mine")).toBe(first);
    expect(names(library.search({ toolName: "a" }))).toEqual(["mine"]);
    expect(library.search({ toolName: "b" })).toEqual([]);
    const second = library.register(template("mine", { tools: ["b"] }), { replace: true });
    expect(library.get("mine")).toBe(second);
    expect(library.listAll()).toEqual([second]);
    const t = tool("ping", { input: z.object({}), output: z.object({ ok: z.boolean() }) });
    const dsl = workflow("from_dsl", { description: "d", input: z.object({}) }, ({ step }) => ({ ok: step("p").tool(t).with({}).out.ok }));
    expect(library.register(dsl)).toBe(dsl.template);
    expect(names(library.listAll())).toEqual(["from_dsl", "mine"]);
  });

  it("validates what it registers", () => {
    const library = new WorkflowLibrary({ builtins: false });
    const bad = new WorkflowTemplate({ name: "bad", steps: [{ id: "a", toolName: "t", dependsOn: ["ghost"] }] });
    expect(() => library.register(bad)).toThrow(WorkflowValidationError);
    expect(library.get("bad")).toBeUndefined();
  });

  it("refuses a custom workflow named like a built-in unless told to shadow it", () => {
    const library = new WorkflowLibrary();
    const mine = template("deploy_to_staging", { tools: ["my_deploy"] });
    expect(() => library.register(mine)).toThrow(BuiltinNameError);
    expect(library.isBuiltin("deploy_to_staging")).toBe(true);
    library.register(mine, { shadowBuiltin: true });
    expect(library.get("deploy_to_staging")).toBe(mine);
    expect(library.isBuiltin("deploy_to_staging")).toBe(false);
    expect(library.search({ toolName: "docker_build" }).map((w) => w.name)).not.toContain("deploy_to_staging");
    // replacing the shadowing workflow takes replace; replace alone never replaces a built-in
    expect(() => library.register(template("deploy_to_staging"), { shadowBuiltin: true })).toThrow(WorkflowExistsError);
    library.register(template("deploy_to_staging"), { shadowBuiltin: true, replace: true });
    expect(() => library.register(template("github_pr_workflow"), { replace: true })).toThrow(BuiltinNameError);
    expect(library.isBuiltin("github_pr_workflow")).toBe(true);
    // and a built-in may not replace a custom workflow; a built-in replaces a built-in only with replace
    const other = new WorkflowLibrary({ builtins: false });
    other.register(template("x"));
    expect(() => other.register(template("x"), { builtin: true })).toThrow(BuiltinNameError);
    other.register(template("b"), { builtin: true });
    expect(() => other.register(template("b"), { builtin: true })).toThrow(WorkflowExistsError);
    other.register(template("b"), { builtin: true, replace: true });
  });

  it("refuses unknown or mistyped register options", () => {
    const library = new WorkflowLibrary({ builtins: false });
    expect(() => library.register(template("x"), { overwrite: true } as never)).toThrow(
      new TypeError('unknown option "overwrite" in register(workflow, options). options are "builtin", "replace", "shadowBuiltin"'),
    );
    expect(() => library.register(template("x"), { replace: "yes" } as never)).toThrow(
      new TypeError("register(workflow, options): replace must be true or false, got string"),
    );
    expect(library.listAll()).toEqual([]);
  });
});

describe("search", () => {
  const library = new WorkflowLibrary();

  it.each([
    ["deploy kubernetes", ["deploy_to_staging", "deploy_multi_region"]],
    ["kubernetes deploy", ["deploy_to_staging", "deploy_multi_region"]],
    ["backup database", ["database_backup", "database_migration"]],
    ["database backup", ["database_backup", "database_migration"]],
  ])("words in any order: %s", (query, top) => {
    expect(names(library.search({ query })).slice(0, 2)).toEqual(top);
  });

  it("ranks workflows matching more of the words first", () => {
    const results = names(library.search({ query: "deploy kubernetes" }));
    // incident_response has kubernetes (tag, kubectl_logs) but not "deploy": after both deploy workflows
    expect(results.indexOf("incident_response")).toBeGreaterThan(results.indexOf("deploy_multi_region"));
  });

  it("ranks a match in the name above one in the description", () => {
    const own = new WorkflowLibrary({ builtins: false });
    own.register(template("rotate_keys", { description: "a nightly job" }));
    own.register(template("nightly_job", { description: "rotate the keys" }));
    expect(names(own.search({ query: "rotate" }))).toEqual(["rotate_keys", "nightly_job"]);
  });

  it.each([
    ["typo", "kuberntes", "deploy_to_staging"],
    ["swapped letters", "deplyo", "deploy_to_staging"],
    ["prefix", "depl", "deploy_to_staging"],
    ["prefix of a later word", "multi reg", "deploy_multi_region"],
    ["plural and -ment", "deployments", "deploy_to_staging"],
    ["camelCase and snake_case in names", "notification chain", "slack_notification_chain"],
    ["a tool name", "image_scan", "docker_build_scan_push"],
    ["a tag", "etl", "data_pipeline_etl"],
  ])("%s: %s", (_what, query, expected) => {
    expect(names(library.search({ query }))).toContain(expected);
  });

  it("filters by category and by tool (exact or family prefix), combined with AND", () => {
    expect(names(library.search({ category: "deployment" }))).toEqual(["deploy_multi_region", "deploy_to_staging"]);
    expect(names(library.search({ category: "Deployment" }))).toEqual(["deploy_multi_region", "deploy_to_staging"]);
    expect(names(library.search({ toolName: "docker_build" }))).toEqual([
      "deploy_multi_region",
      "deploy_to_staging",
      "docker_build_scan_push",
    ]);
    expect(names(library.search({ toolName: "kubectl" }))).toEqual(["deploy_multi_region", "deploy_to_staging", "incident_response"]);
    expect(names(library.search({ toolName: "docker_build", category: "ci" }))).toEqual(["docker_build_scan_push"]);
    expect(names(library.search({ query: "deployment", category: "deployment", toolName: "kubectl" }))).toEqual([
      "deploy_to_staging",
      "deploy_multi_region",
    ]);
    expect(names(library.search({ query: "slack", toolName: "slack_send_message", category: "operations" }))).toEqual([
      "incident_response",
    ]);
  });

  it("returns nothing when nothing matches", () => {
    expect(library.search({ query: "zebra quasar" })).toEqual([]);
    expect(library.search({ category: "nope" })).toEqual([]);
    expect(library.search({ toolName: "nope" })).toEqual([]);
    expect(library.search({ query: "deploy", category: "database" })).toEqual([]);
    expect(library.search({ query: "the and of" })).toEqual([]);
  });

  it("without a query or filters lists everything by name", () => {
    expect(library.search()).toEqual(library.listAll());
    expect(library.search({ query: "   " })).toEqual(library.listAll());
  });

  it.each([
    [
      { tool_name: "docker_build" },
      'unknown option "tool_name" in search(query): did you mean "toolName"? options are "query", "category", "toolName"',
    ],
    [{ tool: "kubectl" }, 'unknown option "tool" in search(query). options are "query", "category", "toolName"'],
    [
      { categroy: "devops" },
      'unknown option "categroy" in search(query): did you mean "category"? options are "query", "category", "toolName"',
    ],
    [{ toolName: 3 }, "search(query): toolName must be a string, got number"],
    ["deploy", "search(query) takes an object, got string"],
  ])("refuses %j instead of returning everything (the guide's Python keyword, typos)", (query, message) => {
    expect(() => library.search(query as never)).toThrow(new TypeError(message));
  });

  it("keeps the index in sync when a workflow is replaced", () => {
    const own = new WorkflowLibrary({ builtins: false });
    own.register(template("job", { description: "compress logs", tools: ["gzip_files"], category: "ops" }));
    expect(names(own.search({ query: "compress" }))).toEqual(["job"]);
    own.register(template("job", { description: "upload reports", tools: ["s3_upload"], category: "data" }), { replace: true });
    expect(own.search({ query: "compress" })).toEqual([]);
    expect(own.search({ toolName: "gzip_files" })).toEqual([]);
    expect(own.search({ category: "ops" })).toEqual([]);
    expect(names(own.search({ query: "upload", toolName: "s3", category: "data" }))).toEqual(["job"]);
  });

  it("orders equal scores by name", () => {
    const own = new WorkflowLibrary({ builtins: false });
    for (const n of ["c_sync", "a_sync", "b_sync"]) own.register(template(n));
    expect(names(own.search({ query: "sync" }))).toEqual(["a_sync", "b_sync", "c_sync"]);
  });
});

describe("suggestForTools", () => {
  it("ranks by tools matched, then by the share of the workflow's tools, then by name; only matches", () => {
    const library = new WorkflowLibrary({ builtins: false });
    library.register(template("pr_and_notify", { tools: ["github_list_issues", "github_create_pr", "slack_send_message"] }));
    library.register(template("pr_only", { tools: ["github_list_issues", "github_create_pr"] }));
    library.register(template("big", { tools: ["github_list_issues", "github_create_pr", "a", "b", "c"] }));
    library.register(template("notify", { tools: ["slack_send_message"] }));
    library.register(template("unrelated", { tools: ["docker_build"] }));
    expect(names(library.suggestForTools(["github_list_issues", "github_create_pr"]))).toEqual(["pr_only", "pr_and_notify", "big"]);
    expect(library.rankForTools(["github_create_pr", "slack_send_message"]).map((m) => [m.workflow.name, m.matched, m.share])).toEqual([
      ["pr_and_notify", 2, 2 / 3],
      ["notify", 1, 1],
      ["pr_only", 1, 1 / 2],
      ["big", 1, 1 / 5],
    ]);
    expect(library.suggestForTools(["nothing"])).toEqual([]);
    expect(library.suggestForTools([])).toEqual([]);
  });

  it("suggests the guide's PR workflow for its tools", () => {
    expect(new WorkflowLibrary().suggestForTools(["github_list_issues", "github_create_pr"])[0]?.name).toBe("github_pr_workflow");
  });
});

describe("as the executor's WorkflowResolver", () => {
  it("runs a built-in as a sub-workflow by name (database_migration runs database_backup)", async () => {
    const library = new WorkflowLibrary();
    const calls: string[] = [];
    const tools = {
      snapshot_database: ({ db }: { db: string }) => (
        calls.push("snapshot"), { snapshotPath: `/tmp/${db}.json`, totalRows: 42, takenAt: "now" }
      ),
      compress_backup: () => (calls.push("compress"), { archivePath: "/tmp/app.json.gz", bytes: 10, sha256: "abc" }),
      upload_backup: ({ bucket }: { bucket: string }) => (calls.push("upload"), { location: `${bucket}/app.json.gz` }),
      verify_backup: ({ expectedRows }: { expectedRows: number }) => (calls.push("verify"), { verified: true, rows: expectedRows }),
      prune_backups: () => (calls.push("prune"), { removed: [] }),
      run_migrations: ({ safetyBackup }: { safetyBackup: string }) => (
        calls.push(`migrate after ${safetyBackup}`), { applied: ["001"], version: "001" }
      ),
      restore_backup: () => (calls.push("restore"), { restoredRows: 0 }),
    };
    const executor = new WorkflowExecutor({ library, tools });
    const result = await executor.execute(
      library.get("database_migration")!,
      new WorkflowContext({ db: "app", bucket: "s3://b", migrationsDir: "m" }),
    );
    expect(result.status).toBe("completed");
    expect(calls).toEqual(["snapshot", "compress", "upload", "verify", "prune", "migrate after s3://b/app.json.gz"]);
    expect(result.outputs).toEqual({ version: "001", applied: ["001"], backup: "s3://b/app.json.gz" });
  });

  it("names the library's workflows when a name is unknown", async () => {
    const library = new WorkflowLibrary({ builtins: false });
    library.register(template("known"));
    const caller = new WorkflowTemplate({
      name: "caller",
      steps: [{ id: "sub", toolName: "execute_workflow", parameters: { workflow: "unknwon" } }],
    });
    const result = await new WorkflowExecutor({ library, tools: { noop: () => ({}) } }).execute(caller);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/unknown workflow "unknwon".*"known"/);
  });
});
