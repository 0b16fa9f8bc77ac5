/**
 * `npm run build` (and `prepack`): what the package ships, in dist/.
 * - JavaScript: scripts/bundle.ts (esbuild) writes one ES module per entry point, the CLI among them, with the
 *   chunks they share and source maps.
 * - Declarations: tsc's own declaration emit (tsconfig.build.json) writes dist/types/, one `.d.ts` per module the
 *   entry points reach, so consumers see exactly the types this repository type-checks.
 * dist/ is emptied first, so no file of an earlier build (a chunk with an old hash) is packed.
 */
import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle, DIST } from "./bundle.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const started = performance.now();
await rm(DIST, { recursive: true, force: true });
await bundle();
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
try {
  execFileSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
} catch {
  console.error("build: tsc could not write the declarations (errors above)");
  process.exit(1);
}
console.log(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
