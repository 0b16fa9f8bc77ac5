/**
 * @module Making `import()` of TypeScript files work, once per process, and only when a command needs it and tsx is
 * there. A workflow file and the files it imports by relative path are bundled by esbuild, so nothing else needs
 * a loader, except packages that are TypeScript sources themselves: toolweave in its own checkout (where tsx is a
 * dev dependency) or a workspace package of the user's. An installed toolweave ships JavaScript and needs no tsx.
 */
const TS_LOADER = Symbol.for("toolweave.tsLoader");

export async function ensureTsLoader(): Promise<void> {
  const scope = globalThis as { [TS_LOADER]?: boolean };
  if (scope[TS_LOADER]) return;
  scope[TS_LOADER] = true;
  let api: { register: () => unknown };
  try {
    api = (await import("tsx/esm/api")) as { register: () => unknown };
  } catch {
    return;
  }
  api.register();
}
