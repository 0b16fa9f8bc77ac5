/** @module `weave migrate`: workflows of the original system (or toolweave templates) to the current format and to DSL source. */
export {
  migrate,
  MigrationError,
  type Migration,
  type MigrationSource,
  type MigratedWorkflow,
  type MigrationNote,
  type ExplicitDependency,
} from "./migrate.js";
export { migrationModules, type MigratedModule } from "./modules.js";
