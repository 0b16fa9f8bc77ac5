/**
 * @module A `tools/call` of a workflow: checks the arguments, runs the workflow on its executor (cancelled with the
 * request), sends a progress notification per finished step when the client asked for progress, and answers with the
 * outputs as `structuredContent` and a short summary as text, or `isError` with the steps that failed.
 */
import { randomUUID } from "node:crypto";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { type CallToolResult, EmptyResultSchema, type ServerNotification, type ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { WorkflowContext } from "../../../src/executor/context.js";
import { errorMessage } from "../../../src/executor/errors.js";
import type { ExecutionEvent, ExecutionResult } from "../../../src/executor/types.js";
import type { WorkflowTemplate } from "../../../src/model/template.js";
import { SecretMask } from "../../../src/secrets/mask.js";
import { secretVariables } from "../../../src/secrets/secret-inputs.js";
import { safeCopy } from "../../../src/util/safe-json.js";
import type { WorkflowTool } from "./workflow-tools.js";

export type CallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface CallSettings {
  /** Bound on each run, in milliseconds (`null`: none). @default the workflow's `timeoutMs` */
  readonly timeoutMs?: number | null;
  /** A progress notification that could not be sent. */
  readonly onWarning?: (message: string) => void;
}

/** Longest step error quoted in a progress message. */
const MESSAGE_ERROR_LENGTH = 200;
/** How long the answer waits for the client's reply to the ping that follows the progress notifications. */
const PING_TIMEOUT_MS = 1000;

/** Never rejects for what the run does: a failed, cancelled or refused run is an `isError` result. */
export async function callWorkflowTool(
  tool: WorkflowTool,
  args: Record<string, unknown>,
  extra: CallExtra,
  settings: CallSettings = {},
): Promise<CallToolResult> {
  const name = tool.definition.name;
  const checked = tool.arguments(args);
  if (!checked.ok) return errorResult(`invalid arguments for workflow "${name}":\n${checked.problems.map((p) => `- ${p}`).join("\n")}`);
  const runId = randomUUID();
  const progress = progressNotifier(tool.template, runId, extra, settings.onWarning);
  let result: ExecutionResult;
  try {
    result = await tool.executor.execute(tool.template, new WorkflowContext(checked.variables), undefined, {
      runId,
      signal: extra.signal,
      onEvent: progress.onEvent,
      ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    });
  } catch (error) {
    // e.g. an argument named like a step: found when the run starts
    return errorResult(`workflow "${name}" did not start: ${errorMessage(error)}`);
  } finally {
    // before the answer: a client forgets a request's progress handler once it has the answer
    await progress.delivered();
  }
  const mask = SecretMask.of(secretVariables(tool.template.inputs, checked.variables));
  const copied = (safeCopy(result.outputs, { mode: "json" }).value ?? {}) as Record<string, unknown>;
  const outputs = (mask.isEmpty ? copied : mask.value(copied)) as Record<string, unknown>;
  if (result.status !== "completed") return errorResult(failureText(name, result, outputs));
  const problem = tool.outputProblem(outputs);
  if (problem !== undefined) {
    return errorResult(
      `workflow "${name}" completed, but its outputs do not fit the outputSchema it declares: ${problem}\noutputs: ${JSON.stringify(outputs)}`,
    );
  }
  return { content: [{ type: "text", text: successText(name, result, outputs) }], structuredContent: outputs };
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}

/**
 * Progress of the run itself (not of its sub-workflow runs): one notification per step that finished or was skipped,
 * `progress` counting them out of `total` steps. Nothing when the request has no progress token.
 *
 * The last step finishes just before the answer, and the SDK's client handles a notification a tick later than an
 * answer read with it, by which time it has dropped the request's progress handler (typescript-sdk issue 2580). So
 * once notifications were sent, `delivered` pings the client and waits for its reply: a client handles messages in
 * order, so by then it has handled them. A client that does not answer within {@link PING_TIMEOUT_MS} delays the
 * answer by that much, no more.
 */
function progressNotifier(
  template: WorkflowTemplate,
  runId: string,
  extra: CallExtra,
  onWarning: ((message: string) => void) | undefined,
): { onEvent: (event: ExecutionEvent) => void; delivered: () => Promise<void> } {
  const progressToken = extra._meta?.progressToken;
  const total = template.steps.length;
  const pending: Promise<void>[] = [];
  let finished = 0;
  const onEvent = (event: ExecutionEvent): void => {
    if (progressToken === undefined || event.runId !== runId) return;
    let message: string;
    if (event.type === "step_finished")
      message =
        event.status === "completed"
          ? `${event.stepId} completed`
          : `${event.stepId} failed: ${shorten(event.error ?? "", MESSAGE_ERROR_LENGTH)}`;
    else if (event.type === "step_skipped") message = `${event.stepId} skipped`;
    else return;
    finished++;
    const notification = extra.sendNotification({
      method: "notifications/progress",
      params: { progressToken, progress: finished, total, message },
    });
    pending.push(notification.catch((error: unknown) => onWarning?.(`cannot send progress (${message}): ${errorMessage(error)}`)));
  };
  const delivered = async (): Promise<void> => {
    await Promise.all(pending);
    if (finished === 0 || extra.signal.aborted) return;
    try {
      await extra.sendRequest({ method: "ping" }, EmptyResultSchema, { timeout: PING_TIMEOUT_MS });
    } catch {
      // the answer goes anyway: the notifications were sent
    }
  };
  return { onEvent, delivered };
}

/** `workflow "deploy" completed in 1.2 s: 3 steps completed, 1 skipped`, then the outputs as JSON. */
function successText(name: string, result: ExecutionResult, outputs: Record<string, unknown>): string {
  const skipped = result.skippedSteps.length;
  const counts = `${plural(result.completedSteps.length, "step")} completed${skipped > 0 ? `, ${skipped} skipped` : ""}`;
  const shown = Object.keys(outputs).length > 0 ? `outputs: ${JSON.stringify(outputs)}` : "no outputs";
  return `workflow "${name}" completed in ${duration(result.durationMs)}: ${counts}\n${shown}`;
}

/** What went wrong, step by step: the failed steps with their errors (and attempts), the skipped ones. */
function failureText(name: string, result: ExecutionResult, outputs: Record<string, unknown>): string {
  const how = result.status === "cancelled" ? "was cancelled" : "failed";
  const lines = [`workflow "${name}" ${how} after ${duration(result.durationMs)}${result.error ? `: ${result.error}` : ""}`];
  if (result.failedSteps.length > 0) {
    lines.push("failed steps:");
    for (const step of result.failedSteps) lines.push(`- ${step.id} (${plural(step.attempts, "attempt")}): ${step.error}`);
  }
  if (result.skippedSteps.length > 0) {
    lines.push("skipped steps:");
    for (const step of result.skippedSteps) lines.push(`- ${step.id}: ${step.reason}`);
  }
  if (result.completedSteps.length > 0) lines.push(`completed steps: ${result.completedSteps.map((s) => s.id).join(", ")}`);
  if (Object.keys(outputs).length > 0) lines.push(`partial outputs: ${JSON.stringify(outputs)}`);
  return lines.join("\n");
}

/** `12 ms`, `1.5 s`. */
function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

function shorten(text: string, length: number): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, " ").trim();
  return line.length <= length ? line : `${line.slice(0, length - 1)}…`;
}
