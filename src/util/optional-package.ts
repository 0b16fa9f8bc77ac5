/**
 * @module Packages that only some features need (the distributed engine's bullmq and ioredis, the SVG renderer's
 * @viz-js/viz) are optional peer dependencies: an install without them works for everything else, and the feature
 * that needs one says which package to install instead of failing with Node's resolution error.
 */

/** A feature was used whose optional package is not installed. */
export class MissingPackageError extends Error {
  override readonly name = "MissingPackageError";
  constructor(
    /** The package that is missing, e.g. `bullmq`. */
    readonly packageName: string,
    /** What needs it, e.g. `the distributed engine (weave worker, weave run --redis, toolweave/distributed)`. */
    readonly feature: string,
    /** The command that installs what the feature needs, e.g. `npm install bullmq ioredis`. */
    readonly installCommand: string,
    options?: { cause?: unknown },
  ) {
    super(`${feature} needs the package "${packageName}", which is not installed. install it: ${installCommand}`, options);
  }
}

export interface OptionalPackage {
  readonly name: string;
  readonly feature: string;
  readonly installCommand: string;
}

/**
 * Runs `load` (an `import()` of the package, written out so bundlers see it) and turns "cannot find this package"
 * into a {@link MissingPackageError}; any other failure (a broken install, an error inside it) passes through.
 */
export async function importOptional<T>(pkg: OptionalPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, pkg.name)) throw new MissingPackageError(pkg.name, pkg.feature, pkg.installCommand, { cause: error });
    throw error;
  }
}

function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // Node: "Cannot find package 'bullmq' imported from …"; a bundler's require shim: "Cannot find module 'bullmq'"
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    (message.includes(`'${name}'`) || message.includes(`"${name}"`))
  );
}
