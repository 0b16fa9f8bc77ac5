/**
 * Regenerates the docs that are facts of the code:
 *
 * - `docs/rules/<rule>.md`, one page per lint rule: what it checks, a bad and a good example, the real finding on the
 *   bad one, exactly what `weave lint --explain <rule>` prints;
 * - the list of those pages in `docs/lint.md`, between `<!-- generated:rules -->` and `<!-- /generated:rules -->`;
 * - every command's `--help` in `docs/cli.md`, between `<!-- generated:cli -->` and `<!-- /generated:cli -->`.
 *
 * `--check` (part of `npm test`) fails when any of these is not what this would write (a stale page, a missing one, or
 * a page of a rule that no longer exists), so the docs cannot go stale.
 *
 *   npm run generate:docs       npm run check:docs
 */
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { explainRule } from "../compiler/lint-engine.js";
import { rules } from "../compiler/rules/index.js";
import { writeFileAtomic } from "../src/util/atomic-write.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DOCS = path.join(ROOT, "docs");
const RULES_DIR = path.join(DOCS, "rules");
const WEAVE = path.join(ROOT, "bin", "weave.js");
const NOTE = "<!-- written by scripts/generate-docs.ts: edit the code, then npm run generate:docs -->";

/** The page of one rule, `docs/rules/<id>.md`. */
function rulePage(rule: (typeof rules)[number]): string {
  const text = explainRule(rule.id)!;
  return [
    NOTE,
    `# \`${rule.id}\` (${rule.severity})`,
    "",
    `${rule.docs.description}. What \`weave lint --explain ${rule.id}\` prints:`,
    "",
    "```text",
    text.trimEnd(),
    "```",
    "",
    "Configure its severity or suppress one finding with a reason: see [Configuring rules and suppressing",
    "findings](../lint.md#configuring-rules-and-suppressing-findings). [Every rule](../lint.md#every-rule).",
    "",
  ].join("\n");
}

/** The list of rule pages in docs/lint.md. */
function rulesSection(): string {
  return rules.map((rule) => `- [\`${rule.id}\`](rules/${rule.id}.md) (${rule.severity}): ${rule.docs.description}`).join("\n");
}

/** The commands as `weave --help` lists them, each with its own `--help`. */
function cliSection(): string {
  const help = (args: string[]): string =>
    execFileSync(process.execPath, [WEAVE, ...args, "--help"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } }).trimEnd();
  const top = help([]);
  const commands = [...top.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((name) => name !== "help");
  const parts = ["```text", "$ weave --help", top, "```"];
  for (const name of commands) {
    parts.push(
      "",
      `<details><summary><code>weave ${name}</code></summary>`,
      "",
      "```text",
      `$ weave ${name} --help`,
      help([name]),
      "```",
      "",
      "</details>",
    );
  }
  return parts.join("\n");
}

function replaceSection(file: string, text: string, name: string, body: string): string {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`${file} has no ${open} ... ${close} section`);
  return `${text.slice(0, start + open.length)}\n${NOTE}\n${body}\n${text.slice(end)}`;
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Every generated file as it should be (null: it should not exist), by absolute path. */
async function expectedFiles(): Promise<Map<string, string | null>> {
  const files = new Map<string, string | null>();
  const lint = path.join(DOCS, "lint.md");
  files.set(lint, replaceSection("docs/lint.md", await readFile(lint, "utf8"), "rules", rulesSection()));
  const cli = path.join(DOCS, "cli.md");
  files.set(cli, replaceSection("docs/cli.md", await readFile(cli, "utf8"), "cli", cliSection()));
  const pages = new Set<string>();
  for (const rule of rules) {
    const file = path.join(RULES_DIR, `${rule.id}.md`);
    pages.add(file);
    files.set(file, rulePage(rule));
  }
  const existing = await readdir(RULES_DIR).catch(() => [] as string[]);
  for (const name of existing) {
    const file = path.join(RULES_DIR, name);
    if (name.endsWith(".md") && !pages.has(file)) files.set(file, null);
  }
  return files;
}

const expected = await expectedFiles();
const relative = (file: string): string => path.relative(ROOT, file);

if (process.argv.includes("--check")) {
  const stale: string[] = [];
  for (const [file, text] of expected) {
    const current = await readOrNull(file);
    if (current !== text)
      stale.push(
        text === null
          ? `${relative(file)} (a rule that no longer exists)`
          : current === null
            ? `${relative(file)} (missing)`
            : relative(file),
      );
  }
  if (stale.length > 0) {
    console.error(`the generated docs (lint rules, CLI help) are out of date: ${stale.join(", ")}. run: npm run generate:docs`);
    process.exit(1);
  }
  console.log(`the generated docs are current (${expected.size} files: docs/lint.md, docs/cli.md, docs/rules/*.md)`);
} else {
  await mkdir(RULES_DIR, { recursive: true });
  let changed = 0;
  for (const [file, text] of expected) {
    const current = await readOrNull(file);
    if (current === text) continue;
    changed++;
    if (text === null) await rm(file);
    else await writeFileAtomic(file, text);
    console.log(`${text === null ? "removed" : "updated"} ${relative(file)}`);
  }
  console.log(changed === 0 ? "the generated docs were current" : `${changed} file(s) written`);
}
