/**
 * @module bullmq and ioredis, loaded on first use: they are optional peer dependencies of toolweave (installed only
 * by those who run steps on Redis), and a static import would load them (about 130 ms) for every `weave` command
 * and every `import("toolweave/distributed")`.
 */
import { importOptional, type OptionalPackage } from "../../src/util/optional-package.js";

export type BullMQ = typeof import("bullmq");
export interface IORedis {
  readonly Redis: typeof import("ioredis").Redis;
}

const FEATURE = "the distributed engine (weave worker, weave run --redis, toolweave/distributed)";
const INSTALL = "npm install bullmq ioredis";
const BULLMQ: OptionalPackage = { name: "bullmq", feature: FEATURE, installCommand: INSTALL };
const IOREDIS: OptionalPackage = { name: "ioredis", feature: FEATURE, installCommand: INSTALL };

let bullmq: Promise<BullMQ> | undefined;
let ioredis: Promise<IORedis> | undefined;

/** @throws MissingPackageError when bullmq is not installed */
export function loadBullmq(): Promise<BullMQ> {
  return (bullmq ??= importOptional(BULLMQ, () => import("bullmq")));
}

/** @throws MissingPackageError when ioredis is not installed */
export function loadIoredis(): Promise<IORedis> {
  return (ioredis ??= importOptional(IOREDIS, () => import("ioredis")).then((m) => ({ Redis: m.Redis })));
}
