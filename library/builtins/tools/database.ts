/** @module Database tools the built-in workflows call (declarations only). */
import { z } from "zod";
import { tool } from "../../../dsl/index.js";

export const snapshotDatabase = tool("snapshot_database", {
  description: "Dumps a database into one snapshot file.",
  input: z.object({ db: z.string() }),
  output: z.object({ snapshotPath: z.string(), totalRows: z.number().int(), takenAt: z.string() }),
});

export const compressBackup = tool("compress_backup", {
  description: "Gzips a snapshot and hashes the archive.",
  input: z.object({ snapshotPath: z.string() }),
  output: z.object({ archivePath: z.string(), bytes: z.number().int(), sha256: z.string() }),
});

export const uploadBackup = tool("upload_backup", {
  description: "Uploads an archive to object storage (s3://, gs://, ...).",
  input: z.object({ archivePath: z.string(), bucket: z.string() }),
  output: z.object({ location: z.string() }),
});

export const verifyBackup = tool("verify_backup", {
  description: "Downloads the stored archive, checks its sha256 and counts its rows.",
  input: z.object({ location: z.string(), sha256: z.string(), expectedRows: z.number().int() }),
  output: z.object({ verified: z.boolean(), rows: z.number().int() }),
});

export const pruneBackups = tool("prune_backups", {
  description: "Deletes a database's stored archives beyond the newest `retain`.",
  input: z.object({
    bucket: z.string(),
    db: z.string(),
    retain: z.number().int().min(1),
    keep: z.string().describe("an archive never to delete"),
  }),
  output: z.object({ removed: z.array(z.string()) }),
});

export const runMigrations = tool("run_migrations", {
  description: "Applies pending schema migrations.",
  input: z.object({ db: z.string(), migrationsDir: z.string(), safetyBackup: z.string() }),
  output: z.object({ applied: z.array(z.string()), version: z.string() }),
});

export const restoreBackup = tool("restore_backup", {
  description: "Restores a database from a stored archive.",
  input: z.object({ db: z.string(), location: z.string(), reason: z.string() }),
  output: z.object({ restoredRows: z.number().int() }),
});
