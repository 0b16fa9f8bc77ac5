import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeVars, parseVarAssignment, readVarsFile } from "../../../cli/run/parse-vars.js";
import { UserError, UserErrorList } from "../../../src/util/user-error.js";

describe("parseVarAssignment", () => {
  it.each([
    ["replicas=3", "replicas", 3],
    ["ratio=0.5", "ratio", 0.5],
    ["flags=[1,2]", "flags", [1, 2]],
    ['config={"a":{"b":true}}', "config", { a: { b: true } }],
    ["on=true", "on", true],
    ["nothing=null", "nothing", null],
    ['quoted="3"', "quoted", "3"],
    ["env=prod", "env", "prod"],
    ["greeting=hello world", "greeting", "hello world"],
    ["empty=", "empty", ""],
    ["url=https://x.test/?a=b", "url", "https://x.test/?a=b"],
    ["expr=a==b", "expr", "a==b"],
    ["broken=[1,", "broken", "[1,"],
  ])("%s", (text, name, value) => {
    expect(parseVarAssignment(text)).toEqual([name, value]);
  });

  it.each([
    ["replicas", 'invalid --var "replicas": it has no "=". expecting name=value'],
    ["=3", 'invalid --var "=3": the name is empty. expecting name=value'],
  ])("rejects %s", (text, message) => {
    expect(() => parseVarAssignment(text)).toThrow(UserError);
    expect(() => parseVarAssignment(text)).toThrow(message);
  });
});

describe("mergeVars", () => {
  it("lets --var override the file, and later --var override earlier ones", () => {
    expect(
      mergeVars({ env: "staging", replicas: 1 }, [
        ["replicas", 3],
        ["env", "prod"],
        ["replicas", 5],
      ]),
    ).toEqual({ env: "prod", replicas: 5 });
  });

  it("keeps a variable named __proto__ as a variable", () => {
    const vars = mergeVars({}, [["__proto__", { polluted: true }]]);
    expect(Object.hasOwn(vars, "__proto__")).toBe(true);
    expect((vars as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

// issue 12: a variable nested thousands of levels deep crashed a durable run as an internal error ("the run's
// variables cannot be journaled: Maximum call stack size exceeded"); it is refused where it is read, at the bound
// templates have (256 levels, the variable's value being level 1), naming where level 257 starts.
describe("variables nested too deeply", () => {
  const DETAIL =
    "nested too deeply: a variable may nest objects and arrays at most 256 levels deep, as a template may, and this value is level 257. flatten it, or give a tool the path of a file that holds the data";
  const arrays = (levels: number): string => `${"[".repeat(levels)}${"]".repeat(levels)}`;

  it("--var: 256 levels are taken, 257 (and 5,000) refused with the variable's name and the path", () => {
    expect(parseVarAssignment(`v=${arrays(256)}`)[0]).toBe("v");
    for (const levels of [257, 5_000]) {
      expect(() => parseVarAssignment(`deep=${arrays(levels)}`)).toThrow(UserError);
      expect(() => parseVarAssignment(`deep=${arrays(levels)}`)).toThrow(`invalid --var "deep": deep${"[0]".repeat(256)}: ${DETAIL}`);
    }
  });

  it("--vars file: every variable too deep, one line each, as file: path: message", async () => {
    const dir = await mkdtemp(join(tmpdir(), "weave-vars-"));
    try {
      const file = join(dir, "vars.json");
      await writeFile(file, `{"ok":${arrays(256)},"a":${'{"d":'.repeat(5_000)}1${"}".repeat(5_000)},"b":{"c":${arrays(300)}}}`);
      const error = await readVarsFile(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserErrorList);
      expect((error as UserErrorList).lines).toEqual([
        `${file}: a${".d".repeat(256)}: ${DETAIL}`,
        `${file}: b.c${"[0]".repeat(255)}: ${DETAIL}`,
      ]);
      await writeFile(file, `{"ok":${arrays(256)}}`);
      expect(await readVarsFile(file)).toEqual({ ok: JSON.parse(arrays(256)) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
