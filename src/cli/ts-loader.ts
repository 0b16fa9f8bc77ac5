/**
 * @module Making `import()` of TypeScript files work, once per process, and only when a command needs it: the CLI
 * itself runs bundled, so `weave lint` never pays for a TypeScript loader, while `weave run` imports workflows and
 * tools modules that import toolweave's own `.ts` sources.
 */
const TS_LOADER = Symbol.for("toolweave.tsLoader");

export async function ensureTsLoader(): Promise<void> {
  const scope = globalThis as { [TS_LOADER]?: boolean };
  if (scope[TS_LOADER]) return;
  const { register } = await import("tsx/esm/api");
  register();
  scope[TS_LOADER] = true;
}
