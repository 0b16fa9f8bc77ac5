// Secret inputs through the CLI, with real processes: nothing that weave run writes or prints keeps the token, and
// weave resume asks for it again (it is not in the journal), then finishes the run with the tools' real results.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK, useWorkdirs, weave } from "../weave-process.js";

const SECRETS = "test/cli/fixtures/ts/secrets.ts";
const TOKEN = "tok_9f8e7d6c5b4a/+=";
const { workdir } = useWorkdirs("weave-cli-secrets-");

/** Every file under `dir`, with its text. */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push([join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name), "utf8")]);
  }
  return out;
}

function expectNoToken(where: string, text: string): void {
  for (const form of [TOKEN, encodeURIComponent(TOKEN), JSON.stringify(TOKEN).slice(1, -1)]) {
    expect(text.includes(form), `${where} holds the token (${form})`).toBe(false);
  }
}

describe("secret inputs through weave run and weave resume", () => {
  it("are masked in the output, --json, the log, the report and the journal; resume asks for them, then restores real results", async () => {
    const wd = await workdir("release");
    await mkdir(wd, { recursive: true });
    const runs = join(wd, "runs");
    const env = { REGISTRY_TOKEN: TOKEN };
    const common = ["--runs-dir", runs, "--log", join(wd, "calls.jsonl"), "--report", join(wd, "report.html")];
    const first = await weave(["run", SECRETS, "--var", `dir=${wd}`, "--env-var", "token=REGISTRY_TOKEN", "--run-id", "rel-1", ...common], {
      env,
    });
    expect(first.code).toBe(1);
    expectNoToken("stdout", first.stdout);
    expectNoToken("stderr", first.stderr);
    expect(first.stdout).toContain("registry refused session session-of-[secret:token]");

    // weave resume without the token: refused before anything runs, saying how to give it
    await writeFile(join(wd, "fixed"), "");
    const refused = await weave(["resume", "rel-1", "--runs-dir", runs]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`run "rel-1" was started with secret input "token", which the journal does not keep`);
    expect(refused.stderr).toContain("weave resume rel-1 --env-var token=<ENV_VAR>");
    expect(refused.stderr).not.toMatch(STACK);
    const unknown = await weave(["resume", "rel-1", "--runs-dir", runs, "--var", "dir=/elsewhere"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`weave resume takes the values of the run's secret inputs only ("token"): "dir" is not one`);

    const resumed = await weave(
      ["resume", "rel-1", "--runs-dir", runs, "--env-var", "token=REGISTRY_TOKEN", "--json", "--log", join(wd, "calls.jsonl")],
      { env },
    );
    expect(resumed.code).toBe(0);
    expectNoToken("--json", resumed.stdout);
    const result = JSON.parse(resumed.stdout) as { status: string; outputs: Record<string, string>; journal: { restored: number } };
    expect(result.status).toBe("completed");
    expect(result.journal.restored).toBe(1);
    expect(result.outputs).toEqual({ by: "session-of-[secret:token]", url: "https://registry.test/?token=[secret:token]" });
    // login ran once; publish got the session login returned, with the real token in it (restored from the journal)
    expect((await readFile(join(wd, "calls.log"), "utf8")).trim().split("\n")).toEqual(["rel-1:login", "rel-1:publish", "rel-1:publish"]);
    const log = await readFile(join(wd, "calls.jsonl"), "utf8");
    expect(log).toContain('"session":"session-of-[secret:token]"');
    expect(
      log
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { success: boolean }).success),
    ).toEqual([true, false, true]);

    expect(existsSync(join(wd, "report.html"))).toBe(true);
    for (const [file, text] of await filesUnder(wd)) expectNoToken(file, text);

    // another value is refused: login's journaled session was opened with the first one
    const other = await weave(["resume", "rel-1", "--runs-dir", runs, "--redo-from", "publish", "--var", "token=another-token"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`the value given for secret input "token" is not the one run "rel-1" started with`);
    expect(other.stderr).not.toMatch(STACK);
    // the same value redoes publish
    const redo = await weave(
      ["resume", "rel-1", "--runs-dir", runs, "--redo-from", "publish", "--env-var", "token=REGISTRY_TOKEN", "--json"],
      { env },
    );
    expect(redo.code).toBe(0);
    expect((await readFile(join(wd, "calls.log"), "utf8")).trim().split("\n")).toHaveLength(4);
  });

  it("--env-var names an environment variable that is not set: exit 2, before anything runs", async () => {
    const wd = await workdir("unset");
    const outcome = await weave(["run", SECRETS, "--var", `dir=${wd}`, "--env-var", "token=WEAVE_TEST_UNSET_TOKEN"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("--env-var token=WEAVE_TEST_UNSET_TOKEN: the environment variable WEAVE_TEST_UNSET_TOKEN is not set");
    expect(existsSync(wd)).toBe(false);
  });

  it("--secret marks a variable of a JSON template secret", async () => {
    const wd = await workdir("template");
    await mkdir(wd, { recursive: true });
    const template = { name: "t", steps: [{ id: "say", toolName: "echo", parameters: { text: "key is {{apiKey}}" } }] };
    await writeFile(join(wd, "t.json"), JSON.stringify(template));
    await writeFile(join(wd, "tools.mjs"), "export default { echo: ({ text }) => ({ said: text }) };\n");
    const run = await weave([
      "run",
      join(wd, "t.json"),
      "--tools",
      join(wd, "tools.mjs"),
      "--var",
      "apiKey=k-123456",
      "--secret",
      "apiKey",
      "--json",
      "--log",
      join(wd, "log.jsonl"),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("k-123456");
    expect(await readFile(join(wd, "log.jsonl"), "utf8")).toContain('"text":"key is [secret:apiKey]"');
    // without --secret, it is an ordinary variable
    const plain = await weave([
      "run",
      join(wd, "t.json"),
      "--tools",
      join(wd, "tools.mjs"),
      "--var",
      "apiKey=k-123456",
      "--log",
      join(wd, "plain.jsonl"),
    ]);
    expect(plain.code).toBe(0);
    expect(await readFile(join(wd, "plain.jsonl"), "utf8")).toContain('"text":"key is k-123456"');
  });
});
