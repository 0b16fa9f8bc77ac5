/**
 * Golden lint corpus (actionlint's testdata): each `err/<case>.json` must produce exactly the lines of
 * `err/<case>.out` (`line:col: message [rule-id]`, sorted by position), and every file under `ok/` nothing at all.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatLine } from "../../../compiler/lint-engine.js";
import { lintCode } from "../rules/lint-code.js";

const dir = (name: string) => fileURLToPath(new URL(`./${name}/`, import.meta.url));
const jsonFiles = (d: string) =>
  readdirSync(d)
    .filter((f) => f.endsWith(".json"))
    .sort();

describe("lint corpus: err", () => {
  const err = dir("err");
  for (const file of jsonFiles(err)) {
    it(file, () => {
      const expected = readFileSync(err + file.replace(/\.json$/, ".out"), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "");
      const actual = lintCode(readFileSync(err + file, "utf8")).map(formatLine);
      expect(actual.length).toBeGreaterThan(0);
      expect(actual).toEqual(expected);
    });
  }
});

describe("lint corpus: ok (must stay silent, info included)", () => {
  const ok = dir("ok");
  for (const file of jsonFiles(ok)) {
    it(file, () => {
      expect(lintCode(readFileSync(ok + file, "utf8")).map(formatLine)).toEqual([]);
    });
  }
});
