/**
 * The engines the runtime semantics suite runs on: the in-process executor, and the distributed one (the executor
 * with a BullmqInvoker, its jobs run by a StepWorker in this process on a real Redis: closures cannot cross
 * processes, and the suite's tools are closures that the tests watch).
 */
import { WorkflowExecutor, type WorkflowExecutorOptions } from "../../src/index.js";
import { BullmqInvoker } from "../../src/distributed/invoker.js";
import { StepWorker } from "../../src/distributed/worker.js";

export interface Engine {
  readonly name: string;
  /** A `new WorkflowExecutor(options)` whose tool calls run where this engine runs them. */
  executor(options?: WorkflowExecutorOptions): WorkflowExecutor;
  /** Slack for wall-clock bounds: what a few hops through the queue may add. */
  readonly slackMs: number;
  /** Closes what `executor` opened (after each test). */
  cleanup(): Promise<void>;
}

export const inProcess: Engine = {
  name: "in-process",
  executor: (options = {}) => new WorkflowExecutor(options),
  slackMs: 0,
  cleanup: async () => undefined,
};

let queues = 0;

/** Each executor gets a queue of its own (and a worker with the executor's tools), so tests never see each other's jobs. */
export function distributed(redisUrl: () => string): Engine & { readonly invokers: BullmqInvoker[]; readonly workers: StepWorker[] } {
  const invokers: BullmqInvoker[] = [];
  const workers: StepWorker[] = [];
  return {
    name: "distributed (BullMQ)",
    slackMs: 60,
    invokers,
    workers,
    executor(options = {}) {
      const redis = redisUrl();
      const queue = `semantics-${process.pid}-${++queues}`;
      const prefix = "tw-test";
      workers.push(new StepWorker({ redis, queue, prefix, tools: options.tools ?? {}, concurrency: 64, onError: () => undefined }));
      const invoker = new BullmqInvoker({ redis, queue, prefix, onError: () => undefined });
      invokers.push(invoker);
      return new WorkflowExecutor({ ...options, invoker });
    },
    async cleanup() {
      const closing = invokers.splice(0).map((i) => i.close());
      const stopping = workers.splice(0).map((w) => w.stop(0));
      await Promise.all([...closing, ...stopping]);
    },
  };
}
