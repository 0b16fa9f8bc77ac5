/**
 * @module What `weave compile` writes: `<out>/<name>.workflow.json` for each workflow free of errors, and
 * `<out>/manifest.json` listing them with a content hash. Every file is written atomically (temp file, fsync,
 * rename), the manifest last, so a reader never sees a half-written file or a manifest ahead of its files.
 */
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../src/util/atomic-write.js";

export interface OutputFile {
  readonly name: string;
  /** The source file, as diagnostics name it. */
  readonly source: string;
  /** The file name inside the output directory: `<name>.workflow.json`. */
  readonly fileName: string;
  readonly content: string;
  readonly hash: string;
}

export interface Manifest {
  readonly version: 1;
  readonly workflows: readonly { readonly name: string; readonly file: string; readonly source: string; readonly hash: string }[];
}

export const outputFileName = (name: string): string => `${name}.workflow.json`;

/** A workflow name that is safe as a file name: no path separators, no leading dot, not empty. */
export const isFileSafeName = (name: string): boolean => name.length > 0 && !/[/\\\0:*?"<>|]/.test(name) && !name.startsWith(".");

export function outputFile(name: string, source: string, template: unknown): OutputFile {
  const content = `${JSON.stringify(template, null, 2)}\n`;
  const hash = `sha256:${createHash("sha256").update(content).digest("hex")}`;
  return { name, source: source.replace(/\\/g, "/"), fileName: outputFileName(name), content, hash };
}

export function manifestOf(files: readonly OutputFile[]): Manifest {
  const workflows = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => ({ name: f.name, file: f.fileName, source: f.source, hash: f.hash }));
  return { version: 1, workflows };
}

/** Writes the files, then the manifest. @returns the paths written (joined to `outDir` as given), manifest last */
export async function writeOutput(outDir: string, files: readonly OutputFile[]): Promise<{ written: string[]; manifest: Manifest }> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const target = path.join(outDir, f.fileName);
    await writeFileAtomic(target, f.content);
    written.push(target);
  }
  const manifest = manifestOf(files);
  const manifestPath = path.join(outDir, "manifest.json");
  await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  written.push(manifestPath);
  return { written, manifest };
}
