/**
 * @module The "cluster" of examples/error-recovery: a deployed resource is a folder <workDir>/resources/<id> holding its
 * manifest, and its readiness probe runs in a child Node process that reads that manifest. Shared by the DSL example
 * and the tools module of its JSON template, so both do the same real work.
 */
import { appendFile, mkdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { runCommand, sha256, writeJson } from "./files.js";

export interface Resource {
  /** `res-<10 hex>`, derived from the step's idempotency key: a retried deploy reuses its resource. */
  readonly resource_id: string;
  /** The resource's folder. */
  readonly path: string;
}

/** Creates (or reuses) the resource of this deploy: its folder and manifest. */
export async function createResource(workDir: string, manifest: string, breakProbe: boolean, idempotencyKey: string): Promise<Resource> {
  const resource_id = `res-${sha256(idempotencyKey).slice(0, 10)}`;
  const path = join(resolve(workDir), "resources", resource_id);
  await mkdir(path, { recursive: true });
  await writeJson(join(path, "manifest.json"), {
    manifest,
    readinessProbe: breakProbe ? "/healthz-broken" : "/healthz",
    createdAt: new Date().toISOString(),
  });
  return { resource_id, path };
}

const PROBE = `const { readFileSync } = require("node:fs");
const m = JSON.parse(readFileSync(require("node:path").join(process.argv[1], "manifest.json"), "utf8"));
if (m.readinessProbe !== "/healthz") { console.error("Error: readiness probe " + m.readinessProbe + " failed: connection refused"); process.exit(1); }
console.log("ready");`;

/** Runs the resource's readiness probe in a child process; rejects with the probe's error when it fails. */
export async function probeReadiness(resource: Resource, signal: AbortSignal): Promise<void> {
  try {
    await runCommand(process.execPath, ["-e", PROBE, resource.path], { signal });
  } catch (error) {
    // runCommand names the command ("node -e failed: Error: ..."): the probe's own words say more
    throw new Error((error as Error).message.replace(/^node -e failed: (Error: )?/, ""), { cause: error });
  }
}

/** Deletes a resource's folder and appends why to <workDir>/cleanup.log. */
export async function removeResource(workDir: string, resource_id: string, reason: string): Promise<{ removed: string; existed: boolean }> {
  if (!/^res-[0-9a-f]{10}$/.test(resource_id)) throw new Error(`"${resource_id}" is not a resource id (res-<10 hex digits>)`);
  const removed = join(resolve(workDir), "resources", resource_id);
  const existed = await stat(removed).then(
    () => true,
    () => false,
  );
  await rm(removed, { recursive: true, force: true });
  await appendFile(
    join(resolve(workDir), "cleanup.log"),
    `${new Date().toISOString()} removed ${resource_id}${existed ? "" : " (already gone)"}: ${reason}\n`,
  );
  return { removed, existed };
}
