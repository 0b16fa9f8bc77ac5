/**
 * @module Watch mode: `fs.watch` on the inputs (directories recursively), changes gathered for a short moment and
 * handed over as one batch of absolute paths of workflow files and JSON templates.
 */
import { statSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";

export interface WatchOptions {
  /** Files and directories to watch (absolute). */
  readonly roots: readonly string[];
  /** Paths under these directories are ignored (e.g. compile's output). */
  readonly ignore?: readonly string[];
  /** Called with each batch of changed files. */
  readonly onChange: (files: string[]) => void;
  /** @default 50 (milliseconds) */
  readonly debounceMs?: number;
}

const RELEVANT = /\.(m?ts|json)$/;

/** Starts watching. @returns a function that stops it */
export function watchInputs(options: WatchOptions): () => void {
  const pending = new Set<string>();
  const ignore = (options.ignore ?? []).map((p) => path.resolve(p) + path.sep);
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    const files = [...pending].sort();
    pending.clear();
    if (files.length) options.onChange(files);
  };
  const note = (file: string): void => {
    if (!RELEVANT.test(file) || /\.d\.m?ts$/.test(file)) return;
    if (file.split(path.sep).includes("node_modules") || ignore.some((dir) => file.startsWith(dir))) return;
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs ?? 50);
  };
  const watchers: FSWatcher[] = [];
  for (const root of new Set(options.roots)) {
    // a file is watched through its directory: editors often save by renaming a new file over the old one
    let isDir = false;
    try {
      isDir = statSync(root).isDirectory();
    } catch {
      // a file that is not there yet (a config file someone may create): watched through its directory too
    }
    const dir = isDir ? root : path.dirname(root);
    const w = watch(dir, { recursive: isDir }, (_event, name) => {
      if (name === null) return;
      const file = path.join(dir, name.toString());
      if (isDir || file === root) note(file);
    });
    w.on("error", () => undefined);
    watchers.push(w);
  }
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
