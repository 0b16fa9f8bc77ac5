/** @module Built-in `database_migration`: `database_backup` as a sub-workflow, then migrate; restore on failure. */
import { z } from "zod";
import { failed, workflow } from "../../dsl/index.js";
import { databaseBackup } from "./database-backup.js";
import { restoreBackup, runMigrations } from "./tools/database.js";

export const databaseMigration = workflow(
  "database_migration",
  {
    description:
      "Migrate a database schema safely: back it up first (database_backup), apply the migrations, restore the backup if they fail",
    category: "database",
    tags: ["migrations", "schema", "backup", "rollback"],
    input: z.object({
      db: z.string().describe("database name"),
      bucket: z.string().default("s3://backups"),
      migrationsDir: z.string().default("migrations"),
    }),
  },
  ({ input, step }) => {
    const backup = step("backup").workflow(databaseBackup).with({ db: input.db, bucket: input.bucket });
    const migrate = step("migrate")
      .tool(runMigrations)
      .with({ db: input.db, migrationsDir: input.migrationsDir, safetyBackup: backup.out.location });
    step("restore")
      .tool(restoreBackup)
      .with({ db: input.db, location: backup.out.location, reason: "migration failed" })
      .when(failed(migrate))
      .describe("Failure handler: put the backup back when a migration failed");
    return { version: migrate.out.version, applied: migrate.out.applied, backup: backup.out.location };
  },
);
