/**
 * docs_report: list the Markdown files of a directory, count their words, write a report.
 *
 *   npx weave run workflows/docs-report.ts [--var dir=docs --var out=report.json]
 *   npx weave lint                      # checks it without running it
 *   npx weave compile --out dist/       # writes it as a portable JSON template
 */
import { z } from "zod";
import { workflow } from "toolweave";
import { countWords, listFiles, writeReport } from "./tools.js";

export const docsReport = workflow(
  "docs_report",
  {
    description: "Count the words of a directory's Markdown files and write a JSON report",
    input: z.object({ dir: z.string().default("docs"), out: z.string().default("report.json") }),
  },
  ({ input, step }) => {
    const list = step("list").tool(listFiles).with({ dir: input.dir, extension: ".md" });
    // `list.out.files` is typed string[] and makes `count` depend on `list`
    const count = step("count").tool(countWords).with({ files: list.out.files }).retry({ max: 2, delayMs: 100 });
    const report = step("report").tool(writeReport).with({ path: input.out, total: count.out.total, counts: count.out.counts });
    return { words: count.out.total, report: report.out.path };
  },
);
