/**
 * Secrets (issue 12, class 4): an input marked `writeOnly` (the DSL's `secret()`) is masked by its *value* wherever a
 * run writes or shows what happened: the monitor's records and log file, error messages, events, the journal (which
 * does not keep it at all, and asks for it again on resume). A resumed run still gets exactly what its tools returned.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMonitor,
  FileJournalStore,
  SecretsRequiredError,
  WorkflowContext,
  WorkflowExecutor,
  WorkflowTemplate,
  type ExecutionEvent,
  type Tools,
} from "toolweave";

const TOKEN = "s3cr3t-T0ken/with+chars";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "weave-secrets-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const inputs = {
  type: "object",
  properties: { token: { type: "string", writeOnly: true }, repo: { type: "string" } },
  required: ["token", "repo"],
};

/** Every way a tool can let a secret out: another key, an echo in its result, an encoded copy, an error message. */
const template = new WorkflowTemplate({
  name: "publish",
  inputs,
  steps: [
    { id: "login", toolName: "login", parameters: { headers: { Authorization: "Bearer {{token}}" }, repo: "{{repo}}" } },
    {
      id: "push",
      toolName: "push",
      dependsOn: ["login"],
      parameters: { session: "{{login.session}}", url: "{{login.url}}" },
      maxRetries: 1,
      retryDelayMs: 1,
    },
  ],
  outputs: { session: "{{login.session}}", pushed: "{{push.pushed}}" },
});

function tools(calls: { push: number }, failPushes = 1): Tools {
  return {
    login: (p) => {
      const auth = String((p.headers as Record<string, string>).Authorization);
      return {
        session: `session-for-${auth.slice(7)}`,
        url: `https://x.test/?t=${encodeURIComponent(auth.slice(7))}`,
        json: JSON.stringify({ auth }),
      };
    },
    push: (p) => {
      calls.push++;
      if (calls.push <= failPushes) throw new Error(`push refused for session ${String(p.session)}`);
      return { pushed: String(p.session).length };
    },
  };
}

describe("secret inputs", () => {
  it("are masked in the monitor's records and log, events and errors; the run still gets the real values", async () => {
    const logFile = join(dir, "calls.jsonl");
    const monitor = createMonitor({ logFile });
    const events: ExecutionEvent[] = [];
    const calls = { push: 0 };
    const executor = new WorkflowExecutor({ tools: tools(calls, 1), monitor });
    const result = await executor.execute(template, new WorkflowContext({ token: TOKEN, repo: "acme/app" }), undefined, {
      onEvent: (e) => events.push(e),
    });
    await monitor.close();

    expect(result.status).toBe("completed");
    // the program gets what the tools returned
    expect(result.outputs.session).toBe(`session-for-${TOKEN}`);
    expect(result.outputs.pushed).toBe(`session-for-${TOKEN}`.length);

    const log = await readFile(logFile, "utf8");
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(encodeURIComponent(TOKEN));
    expect(log).toContain("Bearer [secret:token]");
    expect(log).toContain("session-for-[secret:token]");
    expect(log).toContain("?t=[secret:token]");
    expect(log).toContain("acme/app");
    expect(JSON.stringify(monitor.toolCallLog)).not.toContain(TOKEN);

    const retried = events.find((e) => e.type === "step_retried");
    expect(retried).toMatchObject({ type: "step_retried", error: "push refused for session session-for-[secret:token]" });
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });

  it("mask a failed run's error in the result", async () => {
    const result = await new WorkflowExecutor({ tools: tools({ push: 0 }, 5) }).execute(
      template,
      new WorkflowContext({ token: TOKEN, repo: "r" }),
    );
    expect(result.status).toBe("failed");
    expect(result.error).toBe('step "push" failed: push refused for session session-for-[secret:token]');
    expect(JSON.stringify(result.failedSteps)).not.toContain(TOKEN);
  });

  it("are not kept by the journal: a resume asks for them, then restores the results as the tools returned them", async () => {
    const store = new FileJournalStore({ dir: join(dir, "runs") });
    const calls = { push: 0 };
    const first = await new WorkflowExecutor({ tools: tools(calls, 5), journal: store }).execute(
      template,
      new WorkflowContext({ token: TOKEN, repo: "acme/app" }),
      undefined,
      { runId: "pub-1" },
    );
    expect(first.status).toBe("failed");
    const text = await readFile(store.locate("pub-1"), "utf8");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(encodeURIComponent(TOKEN));
    expect(text).not.toContain(JSON.stringify(TOKEN).slice(1, -1));
    expect(text).toContain('"secretInputs":["token"]');
    expect(text).toContain("session-for-[secret:token]");

    const executor = new WorkflowExecutor({ tools: tools({ push: 0 }, 0), journal: store });
    const refused = await executor.resume("pub-1").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SecretsRequiredError);
    expect((refused as Error).message).toContain('secret input "token", which the journal does not keep');

    const seen: unknown[] = [];
    const resumed = await new WorkflowExecutor({
      tools: { ...tools({ push: 0 }, 0), push: (p) => (seen.push(p), { pushed: String(p.session).length }) },
      journal: store,
    }).resume("pub-1", { secrets: { token: TOKEN } });
    expect(resumed.status).toBe("completed");
    expect(resumed.journal?.restored).toBe(1);
    // login was not run again: its journaled result came back with the real token in it
    expect(seen).toEqual([{ session: `session-for-${TOKEN}`, url: `https://x.test/?t=${encodeURIComponent(TOKEN)}` }]);
    expect(resumed.outputs).toEqual({ session: `session-for-${TOKEN}`, pushed: `session-for-${TOKEN}`.length });

    // the completed run's result, from the journal alone
    const again = await new WorkflowExecutor({ journal: store }).resume("pub-1", { secrets: { token: TOKEN } });
    expect(again.outputs).toEqual(resumed.outputs);
    expect(await readFile(store.locate("pub-1"), "utf8")).not.toContain(TOKEN);
  });

  it("can be marked by the caller for a template without inputs (ExecuteOptions.secrets)", async () => {
    const legacy = new WorkflowTemplate({ name: "legacy", steps: [{ id: "a", toolName: "echo", parameters: { text: "key={{apiKey}}" } }] });
    const monitor = createMonitor();
    await new WorkflowExecutor({ tools: { echo: (p) => p.text }, monitor }).execute(
      legacy,
      new WorkflowContext({ apiKey: "abcd-1234" }),
      undefined,
      { secrets: ["apiKey"] },
    );
    expect(monitor.toolCallLog[0]).toMatchObject({ parameters: { text: "key=[secret:apiKey]" }, result: "key=[secret:apiKey]" });
  });
});
