/**
 * nightly_maintenance: runs database_backup (database-backup.ts) as a sub-workflow, then compacts the database,
 * which takes the backup's archive as its safety net, and writes a report from the backup's typed outputs.
 *
 *   npx weave run examples/nightly-maintenance.ts [--var database=app --var retain=7]
 *
 * Real, under <workDir> (default .weave/examples/nightly-maintenance): everything database_backup does (a demo
 * JSON-lines database on the first run, a gzip-ed and verified snapshot, pruning), then compaction rewrites
 * db/<database>/*.jsonl without the rows marked deleted (after checking that the archive exists and that the row
 * count still matches the backup, i.e. nothing was written since), then reports/nightly-<time>.json.
 * Simulated: the database server itself; its tables are files.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { NonRetryableError, tool, workflow } from "toolweave";
import { databaseBackup, readTables } from "./database-backup.js";
import { writeJson } from "./support/files.js";

export const compactDatabase = tool("compact_database", {
  description:
    "Rewrites each table of <workDir>/db/<database> without the rows marked deleted. Refuses unless the safety backup exists and still has every current row.",
  input: z.object({ workDir: z.string(), database: z.string(), safetyBackup: z.string(), rowsInBackup: z.number().int() }),
  output: z.object({
    purged: z.number().int(),
    remaining: z.number().int(),
    tables: z.array(z.object({ name: z.string(), before: z.number().int(), after: z.number().int() })),
  }),
  run: async ({ workDir, database, safetyBackup, rowsInBackup }) => {
    if (!existsSync(safetyBackup)) throw new NonRetryableError(`safety backup ${safetyBackup} is missing: not compacting without one`);
    const dbDir = join(resolve(workDir), "db", database);
    const tables = await readTables(dbDir);
    const current = Object.values(tables).reduce((n, rows) => n + rows.length, 0);
    if (current !== rowsInBackup)
      throw new NonRetryableError(
        `the database has ${current} rows, the backup ${rowsInBackup}: it changed since the backup, back up again first`,
      );
    const summary = [];
    for (const [name, rows] of Object.entries(tables)) {
      const kept = rows.filter((r) => (r as { deleted?: unknown }).deleted !== true);
      await writeFile(join(dbDir, `${name}.jsonl`), kept.map((r) => `${JSON.stringify(r)}\n`).join(""));
      summary.push({ name, before: rows.length, after: kept.length });
    }
    const remaining = summary.reduce((n, t) => n + t.after, 0);
    return { purged: current - remaining, remaining, tables: summary };
  },
});

export const writeMaintenanceReport = tool("write_maintenance_report", {
  description: "Writes <workDir>/reports/nightly-<time>.json from the backup's and the compaction's results.",
  input: z.object({
    workDir: z.string(),
    backup: z.object({ archive: z.string(), sha256: z.string(), bytes: z.number(), totalRows: z.number(), removed: z.array(z.string()) }),
    purgedRows: z.number().int(),
  }),
  output: z.object({ reportPath: z.string() }),
  run: async ({ workDir, backup, purgedRows }) => {
    const finishedAt = new Date().toISOString();
    const reportPath = join(resolve(workDir), "reports", `nightly-${finishedAt.replace(/[:.]/g, "-")}.json`);
    await writeJson(reportPath, { finishedAt, backup, compaction: { purgedRows } });
    return { reportPath };
  },
});

export const nightlyMaintenance = workflow(
  "nightly_maintenance",
  {
    description: "Nightly database maintenance: back up (sub-workflow), compact, report",
    category: "database",
    tags: ["backup", "maintenance"],
    input: z.object({
      workDir: z.string().default(".weave/examples/nightly-maintenance"),
      database: z.string().default("app"),
      retain: z.number().int().min(1).default(7),
    }),
  },
  ({ input, step }) => {
    const backup = step("backup_database")
      .workflow(databaseBackup)
      .with({ workDir: input.workDir, database: input.database, retain: input.retain })
      .describe("The database_backup workflow, run as one step");
    const compact = step("compact_database")
      .tool(compactDatabase)
      .with({ workDir: input.workDir, database: input.database, safetyBackup: backup.out.archive, rowsInBackup: backup.out.totalRows })
      .describe("Purge deleted rows, only with a verified backup of exactly the current data");
    const report = step("write_report")
      .tool(writeMaintenanceReport)
      .with({ workDir: input.workDir, backup: backup.out, purgedRows: compact.out.purged });
    return {
      report: report.out.reportPath,
      archive: backup.out.archive,
      purgedRows: compact.out.purged,
      remainingRows: compact.out.remaining,
    };
  },
);
