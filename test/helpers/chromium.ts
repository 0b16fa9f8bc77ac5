// A real headless Chromium as a process, for tests that look at pages the way a browser renders them: the DOM
// after parsing (--dump-dom) and screenshots. Under CI a missing Chromium is a failure, never a skip.
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** `CI=true` (any value but "", "0", "false"): what GitHub Actions, GitLab and most CI services set. */
export const IN_CI = !!process.env.CI && process.env.CI !== "0" && process.env.CI.toLowerCase() !== "false";

/** The browser to run: `$CHROMIUM` (when that file exists), else the first of the usual names on the PATH. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM) return existsSync(process.env.CHROMIUM) ? process.env.CHROMIUM : undefined;
  for (const name of CANDIDATES) {
    try {
      return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || undefined;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export const MISSING_CHROMIUM = "chromium not found: install it (apt-get install chromium) or set CHROMIUM=/path/to/chrome";

/** Flags for a quiet, isolated, offline-friendly headless run. */
function flags(profile: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-sync",
    "--disable-component-update",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    `--user-data-dir=${profile}`,
  ];
}

async function runChromium(browser: string, args: string[]): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), "weave-chromium-"));
  try {
    return await new Promise((resolve, reject) => {
      execFile(browser, [...flags(profile), ...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${browser} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** The page's DOM after the browser parsed and laid it out, serialized. */
export function dumpDom(browser: string, file: string): Promise<string> {
  return runChromium(browser, ["--dump-dom", pathToFileURL(file).href]);
}

/** A PNG of the page at this window size. @returns its width and height, read from the file */
export async function screenshot(
  browser: string,
  file: string,
  png: string,
  size = "1400,1000",
): Promise<{ width: number; height: number }> {
  await runChromium(browser, [`--screenshot=${png}`, `--window-size=${size}`, pathToFileURL(file).href]);
  const bytes = await readFile(png);
  if (bytes.subarray(1, 4).toString("latin1") !== "PNG") throw new Error(`${png} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
