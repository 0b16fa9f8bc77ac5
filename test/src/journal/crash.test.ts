// The crash test: real `weave` processes SIGKILLed at random moments and resumed until the run completes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCrashTrials } from "../../fixtures/crash/harness.js";

let workdir = "";
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "weave-crash-"));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

const TRIALS = Number(process.env.CRASH_TRIALS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? 1);

it(`a durable run SIGKILLed at random points (${TRIALS} trials, seed ${SEED}) and resumed ends as an uninterrupted run would`, {
  timeout: 120_000,
}, async () => {
  const summary = await runCrashTrials({ workdir, trials: TRIALS, seed: SEED, maxKills: 4, parallel: 2, concurrency: 4 });
  const perKill = (n: number) => (summary.kills === 0 ? 0 : n / summary.kills).toFixed(2);
  console.log(
    `crash test: ${summary.trials} trials, ${summary.kills} kills (${summary.killsBeforeJournal} before the journal existed), ${summary.processes} processes, ` +
      `${summary.inFlightAtKills} steps in flight at the kills and run again (${perKill(summary.inFlightAtKills)} per kill), ` +
      `${summary.duplicateEffects} side effects repeated (${perKill(summary.duplicateEffects)} per kill), ${(summary.wallMs / 1000).toFixed(1)} s`,
  );
  // every check of every trial held: outputs equal the uninterrupted run's, no completed step ran again,
  // each step completed once in the journal, every side effect is in the final state
  expect(summary.problems).toEqual([]);
  expect(summary.trials).toBe(TRIALS);
  expect(summary.kills).toBeGreaterThanOrEqual(TRIALS);
});
