import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { docsReport } from "../workflows/docs-report.js";

it("counts the words of every Markdown file and writes the report", async () => {
  const dir = await mkdtemp(join(tmpdir(), "docs-report-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "a.md"), "one two three");
  await writeFile(join(dir, "b.md"), "four five");
  await writeFile(join(dir, "notes.txt"), "not counted");
  const out = join(dir, "report.json");

  const result = await docsReport.run({ dir, out });

  expect(result.status).toBe("completed");
  if (result.status !== "completed") return;
  expect(result.outputs).toEqual({ words: 5, report: out });
  expect(JSON.parse(await readFile(out, "utf8"))).toEqual({
    total: 5,
    counts: [
      { file: join(dir, "a.md"), words: 3 },
      { file: join(dir, "b.md"), words: 2 },
    ],
  });
});

it("fails the run, naming the step, when the directory is missing", async () => {
  const result = await docsReport.run({ dir: join(tmpdir(), "no-such-dir-docs-report"), out: "unused.json" });
  expect(result.status).toBe("failed");
  expect(result.failedSteps.map((s) => s.id)).toEqual(["list"]);
});
