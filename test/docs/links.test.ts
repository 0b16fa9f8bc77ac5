/**
 * Every relative link of README.md and docs/**.md points at a file or folder that exists, and, when it names an
 * anchor (`docs/running.md#the-runtime-api`, `#the-examples`), at a heading of that Markdown file.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, anchors, docFiles, read, relativeLinks } from "./markdown.js";

describe("the docs' links", () => {
  const files = docFiles();

  it("are found", () => {
    expect(files).toContain("README.md");
    expect(files).toContain("docs/dsl.md");
    expect(files.filter((file) => file.startsWith("docs/rules/")).length).toBeGreaterThan(10);
  });

  it("point at files and headings that exist", () => {
    const anchorsOf = new Map<string, Set<string>>();
    const headings = (file: string): Set<string> => {
      let set = anchorsOf.get(file);
      if (!set) anchorsOf.set(file, (set = anchors(read(file))));
      return set;
    };
    const broken: string[] = [];
    let count = 0;
    for (const file of files) {
      for (const link of relativeLinks(file, read(file))) {
        count++;
        const [target = "", anchor] = link.target.split("#", 2);
        const resolved = target === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(target)));
        const where = `${link.file}:${link.line}: ${link.target}`;
        if (resolved.startsWith("..") || !existsSync(path.join(ROOT, resolved))) {
          broken.push(`${where}: no file ${resolved}`);
          continue;
        }
        if (anchor === undefined || anchor === "") continue;
        if (!resolved.endsWith(".md") || statSync(path.join(ROOT, resolved)).isDirectory()) {
          broken.push(`${where}: an anchor into a file that is not Markdown`);
          continue;
        }
        if (!headings(resolved).has(decodeURIComponent(anchor))) broken.push(`${where}: ${resolved} has no heading #${anchor}`);
      }
    }
    expect(count).toBeGreaterThan(30);
    expect(broken, broken.join("\n")).toEqual([]);
  });
});
