/**
 * @module The Lua scripts of the Redis journal store, and the connection that has them defined. Each one checks the
 * run's lock and acts in the same step, inside Redis, so no command of another coordinator can come between the check
 * and the write: a coordinator that lost its lock (paused past the TTL, then taken over) can no longer append, renew
 * or release in the new owner's place. Their replies also tell a lock that was taken from a journal whose keys
 * vanished (Redis restarted without its data, or flushed), which the messages must not confuse.
 */
import type { Redis } from "ioredis";
import type { RedisHealth } from "./connection.js";

/** Most records per script call (Lua's unpack has a limit on arguments). */
const CHUNK = 1000;

const APPEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('TOOLWEAVE_JOURNAL_GONE') end
  return redis.error_reply('TOOLWEAVE_LOCK_LOST')
end
for i = 2, #ARGV, ${CHUNK} do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + ${CHUNK} - 1, #ARGV)))
end
return 1`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0`;

interface Scripts {
  twAppend(lock: string, records: string, header: string, holder: string, ...lines: string[]): Promise<number>;
  twRenew(lock: string, header: string, holder: string, ttl: number): Promise<number>;
  twRelease(lock: string, holder: string): Promise<number>;
  twTakeOver(lock: string, seen: string, holder: string, ttl: number): Promise<number>;
}

export type JournalClient = Redis & Scripts;

/** What a store's journals and locks share: one client per store, its health, and the bound on every wait. */
export interface JournalConnection {
  readonly redis: JournalClient;
  readonly health: RedisHealth;
  readonly timeoutMs: number;
}

/** `client`, with the scripts defined on it. */
export function withJournalScripts(client: Redis): JournalClient {
  const redis = client as JournalClient;
  redis.defineCommand("twAppend", { numberOfKeys: 3, lua: APPEND });
  redis.defineCommand("twRenew", { numberOfKeys: 2, lua: RENEW });
  redis.defineCommand("twRelease", { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand("twTakeOver", { numberOfKeys: 1, lua: TAKE_OVER });
  return redis;
}

/** The journal's keys vanished: said instead of "another process has the run", which would send the user looking for it. */
export function journalGone(url: string): string {
  return `the run's journal is no longer in Redis at ${url}: Redis was restarted without its data (no persistence), or flushed. the run cannot go on, nor be resumed`;
}
