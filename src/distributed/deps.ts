/**
 * @module bullmq and ioredis, loaded on first use. The CLI is one bundle with packages left external, where a static
 * import would load them (about 130 ms) for every `weave` command, `weave lint` included: only the commands and runs
 * that talk to Redis pay for them.
 */
export type BullMQ = typeof import("bullmq");
export interface IORedis {
  readonly Redis: typeof import("ioredis").Redis;
}

let bullmq: Promise<BullMQ> | undefined;
let ioredis: Promise<IORedis> | undefined;

export function loadBullmq(): Promise<BullMQ> {
  return (bullmq ??= import("bullmq"));
}

export function loadIoredis(): Promise<IORedis> {
  return (ioredis ??= import("ioredis").then((m) => ({ Redis: m.Redis })));
}
