/**
 * release_with_cleanup: a release whose migration step fails, and a failure handler that removes what the steps
 * before it created; the deploy lock is released at the end whatever happened.
 *
 *   npx weave run examples/cleanup-on-failure.ts                                            # fails on purpose
 *   npx weave run examples/cleanup-on-failure.ts --var breakMigration=false --var release=r1  # the success path
 *
 * Real, under <workDir> (default .weave/examples/cleanup-on-failure): deploy.lock, created exclusively (a second
 * release at the same time fails); a staged release releases/<release>/ holding two migration scripts and a copy of
 * db.json; the migrations run in a child Node process against that copy. On success the copy becomes db.json and
 * the file `current` names the release.
 * Simulated: a bad migration. With breakMigration (the default) migration 002 throws, as a migration that does not
 * fit the live schema would: the child exits 1 and run_migrations fails with its error. cleanup_failed_release
 * (a handler: `.when(or(failed(migrate), failed(activate)))`) then deletes the staged release, and release_lock
 * removes the lock.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { failed, finished, NonRetryableError, or, tool, workflow } from "toolweave";
import { runCommand, writeJson } from "./support/files.js";

const releaseName = z.string().regex(/^[\w.-]+$/, "expected a release name such as r42");

export const acquireLock = tool("acquire_lock", {
  description: "Creates <workDir>/deploy.lock exclusively: fails if another release holds it.",
  input: z.object({ workDir: z.string(), release: releaseName }),
  output: z.object({ lockPath: z.string() }),
  run: async ({ workDir, release }) => {
    const lockPath = join(resolve(workDir), "deploy.lock");
    await mkdir(resolve(workDir), { recursive: true });
    try {
      await writeFile(lockPath, JSON.stringify({ release, pid: process.pid, acquiredAt: new Date().toISOString() }), { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      throw new NonRetryableError(
        `${lockPath} exists: another release is running (${await readFile(lockPath, "utf8")}). delete the file if it is stale`,
      );
    }
    return { lockPath };
  },
});

const MIGRATIONS = {
  "001_create_users.mjs": `export function up(db) { db.tables.users ??= { columns: ["id", "name"], rows: [] }; }\n`,
  "002_add_email.mjs": `export function up(db) { if (!db.tables.users.columns.includes("email")) db.tables.users.columns.push("email"); }\n`,
};
const BROKEN_002 = `export function up(db) { throw new Error('002_add_email: column "email" clashes with index users_email_idx'); }\n`;

export const stageRelease = tool("stage_release", {
  description:
    "Stages releases/<release>/: two migration scripts (002 deliberately broken when breakMigration is set) and a copy of <workDir>/db.json.",
  input: z.object({ workDir: z.string(), release: releaseName, breakMigration: z.boolean() }),
  output: z.object({ releaseDir: z.string(), migrations: z.array(z.string()) }),
  run: async ({ workDir, release, breakMigration }) => {
    const root = resolve(workDir);
    const current = existsSync(join(root, "current")) ? (await readFile(join(root, "current"), "utf8")).trim() : null;
    if (current === release) throw new NonRetryableError(`release ${release} is live: stage a new release name`);
    const releaseDir = join(root, "releases", release);
    await rm(releaseDir, { recursive: true, force: true });
    await mkdir(join(releaseDir, "migrations"), { recursive: true });
    for (const [file, code] of Object.entries(MIGRATIONS)) {
      await writeFile(join(releaseDir, "migrations", file), breakMigration && file.startsWith("002") ? BROKEN_002 : code);
    }
    if (!existsSync(join(root, "db.json"))) await writeJson(join(root, "db.json"), { tables: {} });
    await copyFile(join(root, "db.json"), join(releaseDir, "db.json"));
    return { releaseDir, migrations: Object.keys(MIGRATIONS) };
  },
});

const MIGRATE = `import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
const dir = process.argv[1];
const db = JSON.parse(readFileSync(join(dir, "db.json"), "utf8"));
const applied = [];
for (const file of readdirSync(join(dir, "migrations")).sort()) {
  (await import(pathToFileURL(join(dir, "migrations", file)).href)).up(db);
  applied.push(file);
}
writeFileSync(join(dir, "db.json"), JSON.stringify(db, null, 2));
console.log(JSON.stringify({ applied, tables: Object.keys(db.tables) }));`;

export const runMigrations = tool("run_migrations", {
  description: "Applies the release's migrations, in order, to its copy of db.json in a child Node process; all or nothing.",
  input: z.object({ releaseDir: z.string() }),
  output: z.object({ applied: z.array(z.string()), tables: z.array(z.string()) }),
  run: async ({ releaseDir }, { signal }) =>
    JSON.parse(await runCommand(process.execPath, ["--input-type=module", "-e", MIGRATE, releaseDir], { signal })) as {
      applied: string[];
      tables: string[];
    },
});

export const activateRelease = tool("activate_release", {
  description:
    "Makes the migrated copy the live <workDir>/db.json (atomically, by rename) and writes the release name to <workDir>/current.",
  input: z.object({ workDir: z.string(), release: releaseName, releaseDir: z.string(), applied: z.array(z.string()) }),
  output: z.object({ current: z.string(), dbPath: z.string() }),
  run: async ({ workDir, release, releaseDir, applied }) => {
    const root = resolve(workDir);
    if (applied.length === 0) throw new NonRetryableError(`release ${release} applied no migrations`);
    await copyFile(join(releaseDir, "db.json"), join(root, "db.json.next"));
    await rename(join(root, "db.json.next"), join(root, "db.json"));
    await writeFile(join(root, "current"), `${release}\n`);
    return { current: release, dbPath: join(root, "db.json") };
  },
});

export const removeStagedRelease = tool("remove_staged_release", {
  description: "Deletes a staged release directory (what stage_release created).",
  input: z.object({ releaseDir: z.string() }),
  output: z.object({ removed: z.string(), existed: z.boolean() }),
  run: async ({ releaseDir }) => {
    const existed = existsSync(releaseDir);
    await rm(releaseDir, { recursive: true, force: true });
    return { removed: releaseDir, existed };
  },
});

export const releaseLock = tool("release_lock", {
  description: "Deletes the lock file acquire_lock created.",
  input: z.object({ lockPath: z.string() }),
  output: z.object({ released: z.boolean() }),
  run: async ({ lockPath }) => {
    const released = existsSync(lockPath);
    await rm(lockPath, { force: true });
    return { released };
  },
});

export const releaseWithCleanup = workflow(
  "release_with_cleanup",
  {
    description: "Stage a release, migrate, activate; on failure remove the staged release; always release the lock",
    category: "deployment",
    tags: ["migrations", "error-handling"],
    input: z.object({
      workDir: z.string().default(".weave/examples/cleanup-on-failure"),
      release: releaseName.default("r2"),
      breakMigration: z.boolean().default(true),
    }),
  },
  ({ input, step }) => {
    const lock = step("acquire_lock").tool(acquireLock).with({ workDir: input.workDir, release: input.release });
    const stage = step("stage_release")
      .tool(stageRelease)
      .with({ workDir: input.workDir, release: input.release, breakMigration: input.breakMigration })
      .after(lock);
    const migrate = step("run_migrations").tool(runMigrations).with({ releaseDir: stage.out.releaseDir }).timeout(30_000);
    const activate = step("activate_release")
      .tool(activateRelease)
      .with({ workDir: input.workDir, release: input.release, releaseDir: stage.out.releaseDir, applied: migrate.out.applied });
    const cleanup = step("cleanup_failed_release")
      .tool(removeStagedRelease)
      .with({ releaseDir: stage.out.releaseDir })
      .when(or(failed(migrate), failed(activate)))
      .describe("Failure handler: remove the staged release when migrating or activating it failed");
    step("release_lock")
      .tool(releaseLock)
      .with({ lockPath: lock.out.lockPath })
      .when(finished(cleanup))
      .describe("Last, whatever happened: cleanup finishes (runs or is skipped) only after activate_release has");
    return { current: activate.out.current, applied: migrate.out.applied };
  },
);
