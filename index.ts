/**
 * The runtime (templates, executor, conditions, monitor, library, pattern miner) and the typed DSL.
 *
 * @module toolweave
 */
export * from "./src/index.js";
export * from "./dsl/index.js";
