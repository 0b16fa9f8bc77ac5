/**
 * A real `redis-server` for the distributed tests: started on a free loopback port with persistence off, stopped by
 * its pid. Without redis-server the tests are skipped with a message, except under CI=true, where they fail.
 */
import { spawnSync } from "node:child_process";
import { describe, it } from "vitest";

export { startRedis, type RedisServer } from "../../bench/lib/redis-server.js";

const found = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
/** `redis-server --version`, or undefined when it is not installed. */
export const REDIS_VERSION: string | undefined = found.status === 0 ? found.stdout.trim() : undefined;

const MISSING = "redis-server is not installed (apt-get install redis-server): the distributed engine's tests need a real Redis";

/**
 * `describe` when redis-server exists; else one skipped test saying why, or, under CI=true, one failing test
 * (CI installs redis-server in .ci/run: a missing one is a broken setup, never a silent skip).
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_VERSION !== undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it("needs redis-server", () => {
        throw new Error(`${MISSING} (CI=true: not skipped)`);
      });
    });
    return;
  }
  process.stderr.write(`[toolweave tests] skipping "${name}": ${MISSING}\n`);
  describe.skip(`${name} (skipped: ${MISSING})`, body);
}
