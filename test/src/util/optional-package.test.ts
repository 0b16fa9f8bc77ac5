/** Optional peer dependencies: a missing one becomes a MissingPackageError that names it; other failures pass through. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { reportError } from "../../../cli/shared/report-error.js";
import { importOptional, MissingPackageError } from "../../../src/util/optional-package.js";
import { packageRoot, packageVersion } from "../../../src/util/package-info.js";

const PKG = {
  name: "toolweave-no-such-package",
  feature: "drawing things (weave draw)",
  installCommand: "npm install toolweave-no-such-package",
};

describe("importOptional", () => {
  it("turns Node's 'cannot find package' for that package into a MissingPackageError naming it and the install command", async () => {
    const error = await importOptional(PKG, () => import(PKG.name)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPackageError);
    const missing = error as MissingPackageError;
    expect(missing.packageName).toBe(PKG.name);
    expect(missing.message).toBe(
      `drawing things (weave draw) needs the package "${PKG.name}", which is not installed. install it: npm install ${PKG.name}`,
    );
    expect((missing.cause as { code?: string }).code).toBe("ERR_MODULE_NOT_FOUND");
  });

  it("passes through a missing module that is not the package (a broken install) and any other error", async () => {
    const inner = Object.assign(new Error("Cannot find package 'graceful-fs' imported from /x/node_modules/a/index.js"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    await expect(importOptional(PKG, () => Promise.reject(inner))).rejects.toBe(inner);
    const thrown = new TypeError("boom");
    await expect(importOptional(PKG, () => Promise.reject(thrown))).rejects.toBe(thrown);
  });

  it("returns the module when it is there", async () => {
    const zod = await importOptional({ ...PKG, name: "zod" }, () => import("zod"));
    expect(typeof zod.z.object).toBe("function");
  });
});

describe("weave's report of a missing optional package", () => {
  it("is a usage error (exit 2) naming the feature, the package and the install command, without a stack trace", () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    try {
      const code = reportError(
        new MissingPackageError("bullmq", "the distributed engine (weave worker)", "npm install bullmq ioredis"),
        {},
      );
      expect(code).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(lines.join("")).toBe(
      'weave: the distributed engine (weave worker) needs the package "bullmq", which is not installed\n  install it in your project: npm install bullmq ioredis\n',
    );
  });
});

describe("toolweave's own package", () => {
  it("is found from the sources (as from dist/ or node_modules), with its version", () => {
    const root = packageRoot();
    expect(root).toBeDefined();
    const pkg = JSON.parse(readFileSync(join(root!, "package.json"), "utf8")) as { name: string; version: string };
    expect(pkg.name).toBe("toolweave");
    expect(packageVersion()).toBe(pkg.version);
  });
});
