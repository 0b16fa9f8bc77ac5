/**
 * The distributed engine for the runtime test suites (test/src/executor/suites): the executor with a BullmqInvoker, its
 * jobs run by a StepWorker in this process on a real Redis (closures cannot cross processes, and the suites' tools are
 * closures that the tests watch). The `Engine` type and the in-process engine are in test/helpers/engines.ts.
 */
import { vi } from "vitest";
import {
  WorkflowContext,
  WorkflowExecutor,
  type ExecuteOptions,
  type ExecutionResult,
  type ToolFunction,
  type Tools,
  type WorkflowExecutorOptions,
  type WorkflowTemplate,
} from "toolweave";
import { BullmqInvoker } from "../../../adapters/redis/invoker.js";
import { StepWorker } from "../../../adapters/redis/worker.js";
import type { Engine } from "../../helpers/engines.js";

/**
 * An executor whose worker also has the tools given to `execute` for a run (as `weave worker --tools` has a
 * workflow's tools): the worker's tools object is the one the executor adds them to.
 */
class DistributedExecutor extends WorkflowExecutor {
  readonly #workerTools: Record<string, ToolFunction>;

  constructor(options: WorkflowExecutorOptions, workerTools: Record<string, ToolFunction>) {
    super(options);
    this.#workerTools = workerTools;
  }

  override execute(
    workflow: WorkflowTemplate,
    context: WorkflowContext = new WorkflowContext(),
    tools?: Tools,
    options: ExecuteOptions = {},
  ): Promise<ExecutionResult> {
    if (tools) Object.assign(this.#workerTools, tools);
    return super.execute(workflow, context, tools, options);
  }
}

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
      const tools = { ...options.tools };
      workers.push(new StepWorker({ redis, queue, prefix, tools, concurrency: 64, onError: () => undefined }));
      const invoker = new BullmqInvoker({ redis, queue, prefix, onError: () => undefined });
      invokers.push(invoker);
      return new DistributedExecutor({ ...options, invoker }, tools);
    },
    // the worker hears of the abort on a Redis channel, after the coordinator has settled the attempt
    toolSawAbort: (check) => vi.waitFor(check, { timeout: 5_000 }),
    async cleanup() {
      const closing = invokers.splice(0).map((i) => i.close());
      const stopping = workers.splice(0).map((w) => w.stop(0));
      await Promise.all([...closing, ...stopping]);
    },
  };
}
