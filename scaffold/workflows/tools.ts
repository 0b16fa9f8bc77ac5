/**
 * Typed tools: each has a name, zod schemas for its input and output, and an implementation. A step's reference
 * to another step's output is checked against these schemas while you type.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { tool } from "toolweave";

export const listFiles = tool("list_files", {
  description: "Lists the files of a directory that end with an extension, sorted.",
  input: z.object({ dir: z.string(), extension: z.string() }),
  output: z.object({ files: z.array(z.string()) }),
  run: async ({ dir, extension }) => {
    const names = await readdir(dir);
    return {
      files: names
        .filter((name) => name.endsWith(extension))
        .sort()
        .map((name) => join(dir, name)),
    };
  },
});

export const countWords = tool("count_words", {
  description: "Counts the words of each file.",
  input: z.object({ files: z.array(z.string()) }),
  output: z.object({ total: z.number().int(), counts: z.array(z.object({ file: z.string(), words: z.number().int() })) }),
  run: async ({ files }) => {
    const counts = await Promise.all(
      files.map(async (file) => ({ file, words: (await readFile(file, "utf8")).split(/\s+/).filter(Boolean).length })),
    );
    return { total: counts.reduce((sum, c) => sum + c.words, 0), counts };
  },
});

export const writeReport = tool("write_report", {
  description: "Writes a JSON report.",
  input: z.object({ path: z.string(), total: z.number().int(), counts: z.array(z.object({ file: z.string(), words: z.number().int() })) }),
  output: z.object({ path: z.string() }),
  run: async ({ path, total, counts }) => {
    await writeFile(path, `${JSON.stringify({ total, counts }, null, 2)}\n`);
    return { path };
  },
});
