/** @module Built-in `database_backup`: snapshot → compress → upload → verify → prune, usable as a sub-workflow. */
import { z } from "zod";
import { isTrue, workflow } from "../../dsl/index.js";
import { compressBackup, pruneBackups, snapshotDatabase, uploadBackup, verifyBackup } from "./tools/database.js";

export const databaseBackup = workflow(
  "database_backup",
  {
    description: "Back up a database: snapshot, compress, upload to object storage, verify the stored copy, prune old backups",
    category: "database",
    tags: ["backup", "postgres", "mysql", "s3", "maintenance"],
    input: z.object({
      db: z.string().describe("database name"),
      bucket: z.string().default("s3://backups"),
      retain: z.number().int().min(1).default(7),
    }),
  },
  ({ input, step }) => {
    const snapshot = step("snapshot").tool(snapshotDatabase).with({ db: input.db });
    const compress = step("compress").tool(compressBackup).with({ snapshotPath: snapshot.out.snapshotPath });
    const upload = step("upload")
      .tool(uploadBackup)
      .with({ archivePath: compress.out.archivePath, bucket: input.bucket })
      .retry({ max: 3, delayMs: 2000, backoff: "exponential" });
    const verify = step("verify")
      .tool(verifyBackup)
      .with({ location: upload.out.location, sha256: compress.out.sha256, expectedRows: snapshot.out.totalRows });
    step("prune")
      .tool(pruneBackups)
      .with({ bucket: input.bucket, db: input.db, retain: input.retain, keep: upload.out.location })
      .when(isTrue(verify.out.verified))
      .describe("Delete old backups only once the new one is verified");
    return { location: upload.out.location, sha256: compress.out.sha256, rows: verify.out.rows };
  },
);
