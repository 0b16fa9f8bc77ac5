/** @module toolweave: the runtime (templates, executor, conditions, monitor) and the typed DSL. */
export * from "./src/index.js";
export * from "./dsl/index.js";
