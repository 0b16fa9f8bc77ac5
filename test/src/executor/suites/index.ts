/**
 * The runtime test suites, each a function of the engine it runs on: test/src/executor/<name>.test.ts runs one on the
 * in-process executor, test/adapters/redis/semantics.test.ts runs them all on the distributed one. A suite added here is
 * run on both.
 */
import type { Engine } from "../../../helpers/engines.js";
import { defineCancellationTests } from "./cancellation.js";
import { defineFailureTests } from "./failures.js";
import { defineGuideExampleTests } from "./guide-examples.js";
import { defineMapStepTests } from "./map-steps.js";
import { defineMonitorTests } from "./monitor.js";
import { defineRetryTests } from "./retries.js";
import { defineSchedulingTests } from "./scheduling.js";
import { defineSignalTests } from "./signal.js";
import { defineSubWorkflowTests } from "./sub-workflows.js";
import { defineToolErrorTests } from "./tool-errors.js";

export const runtimeSuites: Readonly<Record<string, (engine: Engine) => void>> = {
  scheduling: defineSchedulingTests,
  failures: defineFailureTests,
  retries: defineRetryTests,
  monitor: defineMonitorTests,
  "sub-workflows": defineSubWorkflowTests,
  "guide examples": defineGuideExampleTests,
  signal: defineSignalTests,
  "tool errors": defineToolErrorTests,
  cancellation: defineCancellationTests,
  "map steps": defineMapStepTests,
};
