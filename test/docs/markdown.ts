/**
 * Reading the repository's docs (README.md and docs/**.md) for the docs tests: fenced code blocks with the hidden
 * context of their TypeScript examples, links, and the anchors GitHub gives headings.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** README.md and every Markdown file under docs/ (but the generated API reference), relative to the root, sorted. */
export function docFiles(): string[] {
  const files = ["README.md"];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (rel !== "docs/api") walk(rel);
      } else if (entry.name.endsWith(".md")) files.push(rel);
    }
  };
  walk("docs");
  return files.sort();
}

export interface CodeBlock {
  /** The file, relative to the root. */
  file: string;
  /** The 1-based line of the block's first line of code (the line after the opening fence). */
  line: number;
  /** The info string's first word (`ts`, `sh`, ...). */
  lang: string;
  /** The rest of the info string, split on spaces (`nocheck`, `file=deploy.ts`). */
  flags: string[];
  code: string;
  /**
   * The code of a `<!-- ts-check ... -->` comment right before the block (only blank lines between): hidden context
   * the example is checked with. A line `// @@example` in it marks where the example goes; without one, the example
   * follows it.
   */
  context?: { code: string; line: number };
}

const CONTEXT = /^<!--\s*ts-check[ \t]*\n([\s\S]*)-->$/;

/** The fenced code blocks of a Markdown text. */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const lines = text.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    let end = i + 1;
    while (end < lines.length && !(lines[end]!.startsWith(fence) && lines[end]!.trim() === fence)) end++;
    const block: CodeBlock = {
      file,
      line: i + 2,
      lang: open[2]!,
      flags: open[3]!.split(/\s+/).filter((flag) => flag !== ""),
      code: lines.slice(i + 1, end).join("\n"),
    };
    const before = lines.slice(0, i).join("\n").trimEnd();
    if (before.endsWith("-->")) {
      const start = before.lastIndexOf("<!--");
      const context = CONTEXT.exec(before.slice(start));
      if (context) block.context = { code: context[1]!, line: before.slice(0, start).split("\n").length + 1 };
    }
    blocks.push(block);
    i = end;
  }
  return blocks;
}

/** The text outside fenced code blocks, with its line structure kept (fenced lines are blank). */
export function outsideFences(text: string): string {
  let fence: string | null = null;
  return text
    .split("\n")
    .map((line) => {
      const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence !== null) {
        if (marker !== undefined && line.trim() === fence) fence = null;
        return "";
      }
      if (marker !== undefined) {
        fence = marker;
        return "";
      }
      return line;
    })
    .join("\n");
}

/** The text outside fenced code blocks and inline code, with its line structure kept (for finding links). */
export function prose(text: string): string {
  return outsideFences(text).replace(/`+[^`\n]*`+/g, (code) => " ".repeat(code.length));
}

export interface Link {
  file: string;
  line: number;
  target: string;
}

/** The relative links and images of a Markdown text (`[text](target)`, `![alt](target)`, `<img src>`, `<a href>`). */
export function relativeLinks(file: string, text: string): Link[] {
  const links: Link[] = [];
  prose(text)
    .split("\n")
    .forEach((line, index) => {
      for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)) {
        const target = match[1] ?? match[2]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
        links.push({ file, line: index + 1, target });
      }
    });
  return links;
}

/** The anchors GitHub gives the headings of a Markdown text (`## The runtime API` → `the-runtime-api`). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of outsideFences(text).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .replace(/`/g, "")
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) result.add(match[1]!);
  return result;
}

export function read(file: string): string {
  return readFileSync(path.join(ROOT, file), "utf8");
}
