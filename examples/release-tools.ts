/**
 * Tools for examples/release.workflow.json. Everything here is real local work: files are packed, hashed, checked
 * by a child Node process and copied into a folder that stands in for a package registry.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFile, copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export default {
  /** Concatenates the files of `source` into one archive-like file with a manifest, and hashes it. */
  async pack_files({ source, name, workDir }: { source: string; name: string; workDir: string }) {
    const files = await listFiles(source);
    if (files.length === 0) throw new Error(`no files to pack in ${source}`);
    const parts = await Promise.all(files.map(async (f) => `--- ${relative(source, f)}\n${await readFile(f, "utf8")}`));
    const body = `manifest: ${files.length} files\n${parts.join("\n")}`;
    await mkdir(workDir, { recursive: true });
    const file = join(workDir, `${name}.pack`);
    await writeFile(file, body);
    return { file, files: files.length, bytes: Buffer.byteLength(body), sha256: createHash("sha256").update(body).digest("hex") };
  },

  async verify_checksum({ file, expected }: { file: string; expected: string }) {
    const actual = createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
    if (actual !== expected) throw new Error(`checksum mismatch for ${file}: expected ${expected}, got ${actual}`);
    return { ok: true };
  },

  /** Runs a snippet in a child Node process, passing the step's abort signal so a timeout kills it. */
  async run_node({ code, args }: { code: string; args: string[] }, { signal }: { signal: AbortSignal }) {
    const { stdout } = await run(process.execPath, ["-e", code, ...args], { signal });
    return { stdout: stdout.trim() };
  },

  async copy_to_registry({ file, registry }: { file: string; registry: string }) {
    await mkdir(registry, { recursive: true });
    const path = join(registry, basename(file));
    await copyFile(file, path);
    return { path, bytes: (await stat(path)).size };
  },

  async append_log({ log, line }: { log: string; line: string }) {
    await appendFile(log, `${new Date().toISOString()} ${line}\n`);
    return { log };
  },

  async remove_file({ file, reason }: { file: string; reason: string }) {
    await rm(file, { force: true });
    return { removed: file, reason };
  },
};
