/**
 * @module Redis connections of the distributed engine: one URL (`redis://[user:password@]host:port[/db]`,
 * `rediss://` for TLS) for BullMQ and for the plain ioredis clients (the cancellation channel, the journal store).
 */
import type { Redis } from "ioredis";
import { loadIoredis } from "./deps.js";

/** The URL without its password, for messages and journal locations. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "redis (unparsable URL)";
  }
}

/**
 * @throws TypeError naming what is wrong, before any connection is attempted
 */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`"${url}" is not a Redis URL: expecting redis://host:port (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError(`"${redactRedisUrl(url)}" is not a Redis URL: expecting redis://host:port (or rediss:// for TLS)`);
  }
  return url;
}

/** BullMQ connection options for a URL (BullMQ makes its own clients from them). */
export function bullConnection(url: string): { url: string } {
  return { url: checkRedisUrl(url) };
}

/**
 * A plain ioredis client. `lazyConnect: false`: it connects at once and queues commands meanwhile; with
 * `maxRetriesPerRequest: 1`, a Redis that is down fails a command in about a second instead of hanging.
 */
export async function redisClient(url: string, name: string): Promise<Redis> {
  checkRedisUrl(url);
  const { Redis } = await loadIoredis();
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 1 });
}

/** The channel on which coordinators ask workers to abort a running job: `<prefix>:<queue>:cancel`. */
export function cancelChannel(prefix: string, queue: string): string {
  return `${prefix}:${queue}:cancel`;
}

export interface CancelMessage {
  readonly jobId: string;
  readonly reason: string;
}
