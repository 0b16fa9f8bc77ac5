/**
 * @module What an MCP tool call gives a step. A tool that declares an `outputSchema` answers with
 * `structuredContent` (the SDK's client has checked it against the schema): that is the step's result. Otherwise the
 * result is the text of the content, parsed as JSON when it is JSON, so `{{files.count}}` reads a server that prints
 * JSON. Content that is not text (an image, a resource) is kept as the content list, never dropped.
 *
 * An `isError` result fails the step with the server's own text; so does a protocol error (the SDK's `McpError`),
 * prefixed with the tool's name so a run's error says which server refused.
 */
import { ToolError } from "../../src/executor/errors.js";

/** The parts of a `tools/call` result read here (the SDK's type, loosened: older servers send `toolResult`). */
export interface CallResult {
  readonly content?: readonly { readonly type: string; readonly text?: string }[];
  readonly structuredContent?: Record<string, unknown>;
  readonly isError?: boolean;
  readonly toolResult?: unknown;
}

/** A tool answered with `isError: true`: the step fails with the server's message. */
export class McpToolError extends ToolError {
  override readonly name = "McpToolError";
}

/**
 * @param tool `<server>.<tool>`, for messages
 * @param structured the tool declares an output schema
 * @throws McpToolError for an `isError` result
 */
export function stepResultOf(tool: string, result: CallResult, structured: boolean): unknown {
  if (result.isError) throw new McpToolError(`${tool}: ${textOf(result) || "the tool reported an error without a message"}`);
  if (result.structuredContent !== undefined && (structured || result.content === undefined || result.content.length === 0))
    return result.structuredContent;
  if (result.content === undefined) return result.toolResult ?? null;
  if (result.content.some((c) => c.type !== "text")) return result.content;
  const text = textOf(result);
  return parseIfJson(text);
}

function textOf(result: CallResult): string {
  return (result.content ?? [])
    .filter((c) => c.type === "text" && typeof c.text === "string")
    .map((c) => c.text)
    .join("\n");
}

/** The text as the JSON value it spells, or the text itself. */
function parseIfJson(text: string): unknown {
  const start = text.trimStart()[0];
  if (start === undefined || !`{["-0123456789tfn`.includes(start)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
