/**
 * @module Local HTTP servers that stand in for remote services (GitHub, Slack, a flaky API, regional endpoints).
 * Each listens on 127.0.0.1 at a port the OS picks (port 0) and is kept here by id, so a `start_*` step can return
 * the id and a later `stop_local_server` step closes it. Nothing in the examples contacts a non-loopback address.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { tool } from "toolweave";

export interface LocalRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The JSON body, or undefined when there is none. */
  body: unknown;
  /** 1-based count of requests this server has received, this one included. */
  count: number;
}
export interface LocalResponse {
  /** @default 200 */
  status?: number;
  body?: unknown;
  /** Answer after this many milliseconds (a slow service); dropped if the client goes away first. */
  delayMs?: number;
}
export type LocalHandler = (request: LocalRequest) => LocalResponse | Promise<LocalResponse>;

interface Running {
  server: Server;
  requests: number;
}
const running = new Map<string, Running>();

/** What a `start_*` tool returns. */
export const localServerSchema = z.object({
  serverId: z.string(),
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:54321`. */
  url: z.string().url(),
  port: z.number().int().positive(),
});
export type LocalServer = z.output<typeof localServerSchema>;

/** A URL on this machine: tools that call a URL refuse anything else, even when a `--var` overrides it. */
export const loopbackUrl = z.string().refine((text) => {
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(text).hostname);
  } catch {
    return false;
  }
}, "must be a http://127.0.0.1 URL: the examples only call servers they start themselves");

/** Starts a JSON server on 127.0.0.1 at a free port. */
export async function startLocalServer(name: string, handler: LocalHandler): Promise<LocalServer> {
  const entry: Running = { server: createServer((req, res) => void respond(entry, handler, req, res)), requests: 0 };
  await new Promise<void>((resolve, reject) => {
    entry.server.once("error", reject);
    entry.server.listen(0, "127.0.0.1", resolve);
  });
  // The stop step closes it; unref only lets a process exit if a run is cancelled before that step.
  entry.server.unref();
  const { port } = entry.server.address() as AddressInfo;
  const serverId = `${name}-${randomUUID().slice(0, 8)}`;
  running.set(serverId, entry);
  return { serverId, url: `http://127.0.0.1:${port}`, port };
}

async function respond(entry: Running, handler: LocalHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const count = ++entry.requests;
  let answer: LocalResponse;
  try {
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    answer = await handler({
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      body: raw ? JSON.parse(raw) : undefined,
      count,
    });
  } catch (error) {
    answer = { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
  }
  const send = () => {
    if (res.destroyed) return;
    res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body ?? {}));
  };
  if (!answer.delayMs) return send();
  const timer = setTimeout(send, answer.delayMs);
  res.once("close", () => clearTimeout(timer));
}

/** Closes a server and drops its open (keep-alive or hanging) connections. False when it was not running. */
export async function closeLocalServer(serverId: string): Promise<{ stopped: boolean; requestsServed: number }> {
  const entry = running.get(serverId);
  if (!entry) return { stopped: false, requestsServed: 0 };
  running.delete(serverId);
  const closed = new Promise<void>((resolve, reject) => entry.server.close((error) => (error ? reject(error) : resolve())));
  entry.server.closeAllConnections();
  await closed;
  return { stopped: true, requestsServed: entry.requests };
}

export const stopLocalServer = tool("stop_local_server", {
  description: "Closes a local HTTP server started by one of the examples' start_* steps, dropping open connections.",
  input: z.object({ serverId: z.string() }),
  output: z.object({ serverId: z.string(), stopped: z.boolean(), requestsServed: z.number().int() }),
  run: async ({ serverId }) => ({ serverId, ...(await closeLocalServer(serverId)) }),
});

/** A non-2xx answer: `status` lets a tool tell a retryable 5xx from a 4xx that retrying cannot fix. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Sends a JSON request to a local server; a non-2xx answer throws an {@link HttpError} with the server's message. */
export async function requestJson(url: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const message = (json as { message?: unknown } | undefined)?.message;
    throw new HttpError(`${method} ${url}: HTTP ${response.status}${typeof message === "string" ? ` ${message}` : ""}`, response.status);
  }
  return json;
}
