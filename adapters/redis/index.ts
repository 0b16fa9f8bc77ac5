/**
 * The distributed engine: the same executor, with each attempt's tool call run as a BullMQ job by worker
 * processes over Redis (`weave worker`), and run journals kept in Redis so a coordinator that restarts resumes.
 *
 *   const invoker = new BullmqInvoker({ redis: "redis://127.0.0.1:6379" });
 *   const executor = new WorkflowExecutor({ tools, invoker, journal: new RedisJournalStore({ redis: url }) });
 *
 * @module toolweave/distributed
 */
export { BullmqInvoker, type BullmqInvokerOptions, type InvokerStats } from "./invoker.js";
export { StepWorker, type StepWorkerOptions, type WorkerJobEvent } from "./worker.js";
export {
  stepJobId,
  RemoteToolError,
  DEFAULT_PREFIX,
  DEFAULT_QUEUE,
  type StepJobData,
  type StepJobFailure,
  type StepJobResult,
} from "./job.js";
export { redactRedisUrl } from "./connection.js";
export { RedisJournalStore, type RedisJournalStoreOptions } from "./journal-store.js";
