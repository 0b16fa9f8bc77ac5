/**
 * docs_index: fan out over what a step found. find_docs lists the Markdown files of a directory; a map step reads
 * each one (its title, headings, words and sha256), as many files as there are, four at a time; write_index fans
 * their results in and writes one JSON index of the directory.
 *
 *   npx weave run examples/docs-index.ts [--var root=docs] [--var out=.weave/examples/docs-index/index.json]
 *
 * Real: the files are read from disk and the index is written atomically (a temp file, then a rename).
 */
import { readFile, rename, writeFile, mkdir } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { z } from "zod";
import { tool, workflow } from "toolweave";
import { listFiles, sha256 } from "./support/files.js";

export const findDocs = tool("find_docs", {
  description: "Lists the Markdown files under a directory, as paths relative to it, sorted.",
  input: z.object({ root: z.string() }),
  output: z.object({ root: z.string(), files: z.array(z.string()) }),
  run: async ({ root }) => {
    const files = (await listFiles(root)).filter((f) => f.endsWith(".md"));
    return { root: resolve(root), files };
  },
});

const summary = z.object({
  file: z.string(),
  title: z.string(),
  headings: z.number().int(),
  words: z.number().int(),
  sha256: z.string(),
});

export const summariseDoc = tool("summarise_doc", {
  description: "Reads one Markdown file: its first heading as title, how many headings and words, and its sha256.",
  input: z.object({ root: z.string(), file: z.string() }),
  output: summary,
  run: async ({ root, file }) => {
    const text = await readFile(join(root, file), "utf8");
    const headings = text.split("\n").filter((line) => /^#{1,6} /.test(line));
    return {
      file,
      title: headings[0]?.replace(/^#+ /, "").trim() ?? file,
      headings: headings.length,
      words: text.split(/\s+/).filter(Boolean).length,
      sha256: sha256(text),
    };
  },
});

export const writeIndex = tool("write_index", {
  description: "Writes the index of the summaries as JSON (through a temp file, so a reader never sees half of it).",
  input: z.object({ out: z.string(), root: z.string(), docs: z.array(summary) }),
  output: z.object({ path: z.string(), files: z.number().int(), words: z.number().int() }),
  run: async ({ out, root, docs }) => {
    const path = resolve(out);
    const words = docs.reduce((sum, d) => sum + d.words, 0);
    await mkdir(dirname(path), { recursive: true });
    const index = { root: relative(process.cwd(), root) || ".", files: docs.length, words, docs };
    await writeFile(`${path}.tmp`, `${JSON.stringify(index, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
    return { path, files: docs.length, words };
  },
});

export const docsIndex = workflow(
  "docs_index",
  {
    description: "Index a directory's Markdown files: one map step over the files another step found",
    category: "documentation",
    tags: ["map", "fan-out", "fan-in"],
    input: z.object({ root: z.string().default("docs"), out: z.string().default(".weave/examples/docs-index/index.json") }),
  },
  ({ input, step }) => {
    const found = step("find_docs").tool(findDocs).with({ root: input.root });
    const docs = step("summarise")
      .forEach(found.out.files, { as: "file", concurrency: 4 })
      .tool(summariseDoc)
      .with((file) => ({ root: found.out.root, file }))
      .retry({ max: 1, delayMs: 100 })
      .describe("One read per file, as many as find_docs found");
    const index = step("write_index").tool(writeIndex).with({ out: input.out, root: found.out.root, docs: docs.out });
    return { index: index.out.path, files: index.out.files, words: index.out.words };
  },
);
