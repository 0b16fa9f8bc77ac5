/**
 * @module What `weave serve --mcp` does: finds the workflow files and templates, loads every workflow in them (as
 * `weave run` loads them), refuses what cannot be served (exit 2, naming the file), then serves them over stdio until
 * the client leaves.
 */
import {
  describeServeIssue,
  type ServableWorkflow,
  type ServedWorkflowSource,
  serveIssues,
  serveWorkflowsOverMcp,
  type WorkflowMcpServing,
} from "../../adapters/mcp/serve/index.js";
import type { Tools } from "../../src/executor/types.js";
import { UserError, UserErrorList } from "../../src/util/user-error.js";
import { EXIT } from "../exit-codes.js";
import { exportedWorkflows } from "../load/find-workflow.js";
import { loadTemplate } from "../load/load-template.js";
import { loadTools } from "../load/load-tools.js";
import { loadWorkflowModule } from "../load/load-workflow-module.js";
import { openToolCallLog } from "../run/open-log.js";
import { NO_TIMEOUT } from "../run/options.js";
import type { ServeOptions } from "./command.js";
import { findServedFiles, type ServedFile } from "./find-served-files.js";
import { claimStdout } from "./protocol-stdout.js";
import { startRunMcp, withRunMcp } from "../run/mcp-servers.js";

const USAGE = "weave serve --mcp <workflow files, templates or directories...>";

/** @returns the exit code, once the client has closed the connection and every run has settled */
export async function serveWorkflowFiles(paths: readonly string[], options: ServeOptions): Promise<number> {
  if (!options.mcp) throw new UserError("serve needs --mcp: the Model Context Protocol is the only protocol it serves", [USAGE]);
  if (paths.length === 0) throw new UserError("no workflows to serve: name workflow files, templates or directories after --mcp", [USAGE]);
  const files = findServedFiles(paths);
  const tools = options.tools === undefined ? undefined : await loadTools(options.tools);
  const served: ServedWorkflowSource[] = [];
  for (const file of files) served.push(...(await loadServed(file, tools !== undefined || options.mcpConfig !== undefined)));
  if (served.length === 0) {
    throw new UserError(`found no workflows to serve in ${paths.map((p) => `"${p}"`).join(", ")}`, [
      "a workflow file exports workflows made with workflow() from toolweave; a template is a JSON object with steps",
    ]);
  }
  // the MCP servers the workflows call, started once for every run, checked before anything is served
  const mcp = await startRunMcp(
    options.mcpConfig,
    "served workflows",
    served.flatMap((s) => stepToolNames(s.workflow)),
    false,
  );
  return withRunMcp(mcp, () => serve(served, mcp === undefined ? tools : { ...mcp.tools, ...tools }, options));
}

/** The tools a workflow's steps call. */
const stepToolNames = (workflow: ServableWorkflow): string[] =>
  ("template" in workflow ? workflow.template : workflow).steps.map((s) => s.toolName);

async function serve(served: readonly ServedWorkflowSource[], tools: Tools | undefined, options: ServeOptions): Promise<number> {
  const issues = serveIssues(served, tools);
  if (issues.length > 0) throw new UserErrorList(issues.map((i) => `${i.source}: ${describeServeIssue(i)}`));

  const monitor = options.log === undefined ? undefined : await openToolCallLog(options.log);
  const serving = await serveWorkflowsOverMcp(
    served.map((s) => s.workflow),
    {
      ...(tools ? { tools } : {}),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.failFast === undefined ? {} : { failFast: options.failFast }),
      ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout === NO_TIMEOUT ? null : options.timeout }),
      ...(monitor ? { monitor } : {}),
      stdout: claimStdout(),
      onWarning: (message) => void process.stderr.write(`weave: warning: ${message}\n`),
    },
  );
  const names = served.map((s) => s.workflow.name).join(", ");
  process.stderr.write(
    `weave: serving ${served.length === 1 ? "1 workflow" : `${served.length} workflows`} as MCP tools over stdio: ${names}\n`,
  );
  const stopWatching = closeOnSignals(serving);
  try {
    await serving.closed;
  } finally {
    stopWatching();
    await monitor?.close().catch((error: unknown) => {
      process.stderr.write(`weave: warning: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  }
  return EXIT.completed;
}

/** The workflows of one file: a template, or every workflow a module exports. */
/** @param hasTools a tools module or MCP servers give a template's tools */
async function loadServed(file: ServedFile, hasTools: boolean): Promise<ServedWorkflowSource[]> {
  if (file.kind === "template") {
    if (!hasTools) {
      throw new UserError(`${file.file} is a JSON template: serving it needs --tools <module> (or --mcp-config <.mcp.json>)`, [
        "a .json template names its tools; --tools <module> supplies their functions (its default export maps tool names to functions), --mcp-config the tools of MCP servers",
      ]);
    }
    return [{ workflow: await loadTemplate(file.file), source: file.file }];
  }
  const { exports } = await loadWorkflowModule(file.file);
  const workflows = exportedWorkflows(exports);
  if (workflows.length === 0 && file.named) {
    const names = Object.keys(exports);
    throw new UserError(
      `${file.file} exports no workflow (${names.length === 0 ? "it exports nothing" : `its exports: ${names.join(", ")}`})`,
      ["export the workflows to serve, made with workflow() from toolweave"],
    );
  }
  return workflows.map((w) => ({ workflow: w.workflow, source: file.file }));
}

/** Ctrl-C or SIGTERM closes the connection and cancels the runs; a second one exits at once. */
function closeOnSignals(serving: WorkflowMcpServing): () => void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(signal === "SIGINT" ? EXIT.interrupted : EXIT.failed);
    closing = true;
    process.stderr.write(`weave: ${signal}: closing the server; runs in progress are cancelled\n`);
    void serving.close();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  };
}
