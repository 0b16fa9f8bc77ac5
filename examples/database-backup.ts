/**
 * database_backup: snapshot a database → gzip it → verify the archive → prune old archives. nightly-maintenance.ts
 * runs it as a sub-workflow and reads its typed outputs.
 *
 *   npx weave run examples/database-backup.ts [--var database=app --var retain=5]
 *
 * Real, under <workDir> (default .weave/examples/database-backup): the database is a directory of JSON-lines tables,
 * db/<database>/<table>.jsonl (a small demo database is created the first time, so the example runs on a clean
 * machine; point workDir at your own to back that up). The snapshot is written as JSON to backups/, gzip-ed with
 * node:zlib, hashed with sha256 and verified by a child Node process that decompresses it and counts the rows;
 * archives beyond the newest `retain` are deleted.
 * Simulated: the database server itself; its tables are those files.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { z } from "zod";
import { NonRetryableError, tool, workflow } from "toolweave";
import { runCommand, sha256File, writeJson } from "./support/files.js";

const demoRows = (n: number, make: (i: number) => object, deletedEvery: number) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, ...make(i + 1), ...((i + 1) % deletedEvery === 0 ? { deleted: true } : {}) }));

export const ensureDemoDatabase = tool("ensure_demo_database", {
  description:
    "Creates a small demo database (users, orders, events as JSON-lines files under <workDir>/db/<database>) unless one is already there.",
  input: z.object({ workDir: z.string(), database: z.string().regex(/^[\w-]+$/) }),
  output: z.object({ dbDir: z.string(), created: z.boolean(), tables: z.array(z.string()) }),
  run: async ({ workDir, database }) => {
    const dbDir = join(resolve(workDir), "db", database);
    const created = !existsSync(dbDir);
    if (created) {
      await mkdir(dbDir, { recursive: true });
      const tables = {
        users: demoRows(6, (i) => ({ email: `user${i}@example.test` }), 5),
        orders: demoRows(9, (i) => ({ userId: (i % 6) + 1, cents: i * 1250 }), 4),
        events: demoRows(12, (i) => ({ kind: i % 2 ? "login" : "view" }), 3),
      };
      for (const [name, rows] of Object.entries(tables))
        await writeFile(join(dbDir, `${name}.jsonl`), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    }
    const tables = (await readdir(dbDir))
      .filter((f) => f.endsWith(".jsonl"))
      .map((f) => basename(f, ".jsonl"))
      .sort();
    return { dbDir, created, tables };
  },
});

/** Reads every table of a JSON-lines database. */
export async function readTables(dbDir: string): Promise<Record<string, object[]>> {
  const files = (await readdir(dbDir)).filter((f) => f.endsWith(".jsonl")).sort();
  const entries = await Promise.all(
    files.map(async (f) => {
      const lines = (await readFile(join(dbDir, f), "utf8")).split("\n").filter((l) => l.trim() !== "");
      return [basename(f, ".jsonl"), lines.map((l) => JSON.parse(l) as object)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const tableSummary = z.object({ name: z.string(), rows: z.number().int() });

export const snapshotDatabase = tool("snapshot_database", {
  description: "Dumps every table of the database into one JSON snapshot file in the backup directory.",
  input: z.object({ dbDir: z.string(), backupDir: z.string(), database: z.string() }),
  output: z.object({ snapshotPath: z.string(), takenAt: z.string(), tables: z.array(tableSummary), totalRows: z.number().int() }),
  run: async ({ dbDir, backupDir, database }) => {
    const tables = await readTables(dbDir);
    const takenAt = new Date().toISOString();
    const snapshotPath = join(resolve(backupDir), `${database}-${takenAt.replace(/[:.]/g, "-")}-${randomBytes(2).toString("hex")}.json`);
    await writeJson(snapshotPath, { database, takenAt, tables });
    const summary = Object.entries(tables).map(([name, rows]) => ({ name, rows: rows.length }));
    return { snapshotPath, takenAt, tables: summary, totalRows: summary.reduce((n, t) => n + t.rows, 0) };
  },
});

export const compressBackup = tool("compress_backup", {
  description: "Gzips the snapshot with node:zlib (streaming), removes the uncompressed file and hashes the archive.",
  input: z.object({ snapshotPath: z.string() }),
  output: z.object({ archivePath: z.string(), bytes: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  run: async ({ snapshotPath }) => {
    const archivePath = `${snapshotPath}.gz`;
    await pipeline(createReadStream(snapshotPath), createGzip({ level: 9 }), createWriteStream(archivePath));
    await rm(snapshotPath);
    return { archivePath, bytes: (await stat(archivePath)).size, sha256: await sha256File(archivePath) };
  },
});

const COUNT_ROWS = `const snapshot = JSON.parse(require("node:zlib").gunzipSync(require("node:fs").readFileSync(process.argv[1])).toString("utf8"));
console.log(JSON.stringify({ rows: Object.values(snapshot.tables).reduce((n, rows) => n + rows.length, 0) }));`;

export const verifyBackup = tool("verify_backup", {
  description: "Checks the archive's sha256, then decompresses it in a child Node process and compares the row count with the snapshot's.",
  input: z.object({ archivePath: z.string(), sha256: z.string(), expectedRows: z.number().int() }),
  output: z.object({ verified: z.literal(true), rows: z.number().int() }),
  run: async ({ archivePath, sha256, expectedRows }, { signal }) => {
    const actual = await sha256File(archivePath);
    if (actual !== sha256) throw new NonRetryableError(`${archivePath}: sha256 is ${actual}, expected ${sha256}`);
    const { rows } = z
      .object({ rows: z.number() })
      .parse(JSON.parse(await runCommand(process.execPath, ["-e", COUNT_ROWS, archivePath], { signal })));
    if (rows !== expectedRows) throw new NonRetryableError(`${archivePath} holds ${rows} rows, the snapshot had ${expectedRows}`);
    return { verified: true as const, rows };
  },
});

export const pruneBackups = tool("prune_backups", {
  description: "Deletes the database's archives in the backup directory beyond the newest `retain`.",
  input: z.object({ backupDir: z.string(), database: z.string(), retain: z.number().int().min(1) }),
  output: z.object({ kept: z.array(z.string()), removed: z.array(z.string()) }),
  run: async ({ backupDir, database, retain }) => {
    const dir = resolve(backupDir);
    const archives = (await readdir(dir))
      .filter((f) => f.startsWith(`${database}-`) && f.endsWith(".json.gz"))
      .sort()
      .reverse();
    const removed = archives.slice(retain).map((f) => join(dir, f));
    await Promise.all(removed.map((f) => rm(f)));
    return { kept: archives.slice(0, retain).map((f) => join(dir, f)), removed };
  },
});

export const databaseBackup = workflow(
  "database_backup",
  {
    description: "Back up a database: snapshot, compress, verify, prune old backups",
    category: "database",
    tags: ["backup", "gzip"],
    input: z.object({
      workDir: z.string().default(".weave/examples/database-backup"),
      database: z.string().default("app"),
      retain: z.number().int().min(1).default(5),
    }),
  },
  ({ input, step }) => {
    const db = step("ensure_database")
      .tool(ensureDemoDatabase)
      .with({ workDir: input.workDir, database: input.database })
      .describe("Create the demo database on the first run; otherwise just list its tables");
    const snapshot = step("snapshot")
      .tool(snapshotDatabase)
      .with({ dbDir: db.out.dbDir, backupDir: `${input.workDir}/backups`, database: input.database });
    const compress = step("compress").tool(compressBackup).with({ snapshotPath: snapshot.out.snapshotPath });
    const verify = step("verify")
      .tool(verifyBackup)
      .with({ archivePath: compress.out.archivePath, sha256: compress.out.sha256, expectedRows: snapshot.out.totalRows })
      .timeout(30_000);
    const prune = step("prune_old_backups")
      .tool(pruneBackups)
      .with({ backupDir: `${input.workDir}/backups`, database: input.database, retain: input.retain })
      .after(verify)
      .describe("Only once the new archive is verified: delete archives beyond the newest `retain`");
    return {
      archive: compress.out.archivePath,
      sha256: compress.out.sha256,
      bytes: compress.out.bytes,
      totalRows: snapshot.out.totalRows,
      tables: snapshot.out.tables,
      removed: prune.out.removed,
    };
  },
);
