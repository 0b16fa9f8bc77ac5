/**
 * @module File and process helpers the examples share: hashes, JSON files, child processes, and a directory packed
 * into one archive (tar.gz through the `tar` command, or, where there is no tar, gzip-ed JSON through node:zlib).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";

const execFileAsync = promisify(execFile);

export const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
export const sha256File = async (path: string): Promise<string> => sha256(await readFile(path));

/** Writes pretty JSON, creating the parent directories. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

export const readJson = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, "utf8"));

/** Files under `dir`, as sorted paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** One hash over the names and contents of every file under `dir`: equal trees give equal digests. */
export async function digestDirectory(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await listFiles(dir))
    hash
      .update(`${file}\0`)
      .update(await readFile(join(dir, file)))
      .update("\0");
  return hash.digest("hex");
}

export interface RunOptions {
  cwd?: string;
  /** A step's signal: aborting it (timeout, cancellation) kills the child. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Runs a program and returns its trimmed stdout; a non-zero exit rejects with its stderr. */
export async function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, [...args], options);
    return stdout.trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    const detail = stderr.split("\n").find((line) => /^(\w*Error\b|error:|fatal:)/.test(line)) ?? stderr.split("\n")[0];
    throw new Error(`${basename(command)} ${args[0] ?? ""} failed: ${detail || (error instanceof Error ? error.message : String(error))}`);
  }
}

/** Whether `command --version` runs: the examples check before using git or tar, and say what they do instead. */
export async function hasCommand(command: string): Promise<boolean> {
  try {
    await execFileAsync(command, ["--version"]);
    return true;
  } catch {
    return false;
  }
}

export type ArchiveFormat = "tar.gz" | "files.json.gz";

/** Packs `dir` into `<base>.tar.gz` with the tar command, or `<base>.files.json.gz` with node:zlib without one. */
export async function packDirectory(dir: string, base: string): Promise<{ archive: string; format: ArchiveFormat }> {
  await mkdir(dirname(base), { recursive: true });
  if (await hasCommand("tar")) {
    const archive = `${base}.tar.gz`;
    await runCommand("tar", ["-czf", archive, "-C", dir, "."]);
    return { archive, format: "tar.gz" };
  }
  const files = await listFiles(dir);
  const entries = await Promise.all(files.map(async (f) => [f, (await readFile(join(dir, f))).toString("base64")] as const));
  const archive = `${base}.files.json.gz`;
  await writeFile(archive, gzipSync(JSON.stringify(Object.fromEntries(entries))));
  return { archive, format: "files.json.gz" };
}

/** Unpacks an archive made by {@link packDirectory} into `dest` and lists what it wrote. */
export async function unpackArchive(archive: string, dest: string): Promise<string[]> {
  await mkdir(dest, { recursive: true });
  if (archive.endsWith(".tar.gz")) {
    await runCommand("tar", ["-xzf", archive, "-C", dest]);
  } else {
    const files = JSON.parse(gunzipSync(await readFile(archive)).toString("utf8")) as Record<string, string>;
    for (const [file, base64] of Object.entries(files)) {
      await mkdir(dirname(join(dest, file)), { recursive: true });
      await writeFile(join(dest, file), Buffer.from(base64, "base64"));
    }
  }
  return listFiles(dest);
}

/** A name safe in a file path: `myapp:1.0.0` → `myapp-1.0.0`. */
export const safeName = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, "-");
