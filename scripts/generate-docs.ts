/**
 * Regenerates the parts of README.md that are facts of the code, between `<!-- generated:NAME -->` and
 * `<!-- /generated:NAME -->` markers: `rules` (every lint rule: what it checks, a bad and a good example, the real
 * finding on the bad one, exactly what `weave lint --explain <rule>` prints) and `cli` (every command's `--help`).
 * `--check` (part of `npm test`) fails when README.md is not what this would write, so the docs cannot go stale.
 *
 *   npm run generate:docs       npm run check:docs
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { explainRule } from "../compiler/lint-engine.js";
import { rules } from "../compiler/rules/index.js";
import { writeFileAtomic } from "../src/util/atomic-write.js";

const README = fileURLToPath(new URL("../README.md", import.meta.url));
const WEAVE = fileURLToPath(new URL("../bin/weave.js", import.meta.url));

function rulesSection(): string {
  return rules
    .map((rule) => {
      const text = explainRule(rule.id)!;
      return [`<details><summary><code>${rule.id}</code> (${rule.severity}): ${rule.docs.description}</summary>`, "", "```text", text.trimEnd(), "```", "", "</details>"].join("\n");
    })
    .join("\n");
}

/** The commands as `weave --help` lists them, each with its own `--help`. */
function cliSection(): string {
  const help = (args: string[]): string =>
    execFileSync(process.execPath, [WEAVE, ...args, "--help"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } }).trimEnd();
  const top = help([]);
  const commands = [...top.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((name) => name !== "help");
  const parts = ["```text", "$ weave --help", top, "```"];
  for (const name of commands) {
    parts.push("", `<details><summary><code>weave ${name}</code></summary>`, "", "```text", `$ weave ${name} --help`, help([name]), "```", "", "</details>");
  }
  return parts.join("\n");
}

function replaceSection(text: string, name: string, body: string): string {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open} ... ${close} section`);
  return `${text.slice(0, start + open.length)}\n<!-- written by scripts/generate-docs.ts: edit the code, then npm run generate:docs -->\n${body}\n${text.slice(end)}`;
}

const current = await readFile(README, "utf8");
const expected = replaceSection(replaceSection(current, "rules", rulesSection()), "cli", cliSection());

if (process.argv.includes("--check")) {
  if (current !== expected) {
    console.error("README.md's generated sections (lint rules, CLI help) are out of date. run: npm run generate:docs");
    process.exit(1);
  }
  console.log("README.md's generated sections are current");
} else {
  await writeFileAtomic(README, expected);
  console.log(`updated ${README}`);
}
