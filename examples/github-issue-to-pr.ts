/**
 * github_pr_workflow: data flow. Fetch the open issues → commit a fix for the first one on a branch → open a PR
 * titled from the issue (a template string) → post the PR's URL to Slack.
 *
 *   npx weave run examples/github-issue-to-pr.ts [--var repo=acme/webapp --var slackChannel=#deployments]
 *
 * Real, under <workDir> (default .weave/examples/github-issue-to-pr): a git repository repo/ (`git init` on the first
 * run) gets a branch fix/issue-<n> with a commit. Without git on PATH the fix file is written, and `commit` is null.
 * Simulated locally: the GitHub REST API (GET /repos/:owner/:repo/issues, POST /repos/:owner/:repo/pulls) and a Slack
 * incoming webhook are two HTTP servers the workflow starts on 127.0.0.1. The issues come from github/issues.json
 * (seeded on the first run; edit it), created PRs are appended to github/pulls.json and Slack messages to
 * slack/messages.jsonl. Both servers are closed at the end whether or not the steps before succeeded.
 */
import { existsSync } from "node:fs";
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { finished, tool, workflow } from "toolweave";
import { hasCommand, readJson, runCommand, writeJson } from "./support/files.js";
import { localServerSchema, loopbackUrl, requestJson, startLocalServer, stopLocalServer } from "./support/local-server.js";

export { stopLocalServer };

const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name");
const issue = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string(),
  state: z.enum(["open", "closed"]),
  labels: z.array(z.string()),
});
const SEED_ISSUES: z.input<typeof issue>[] = [
  {
    number: 103,
    title: "Checkout crashes when the cart is empty",
    body: "Steps: open /checkout with an empty cart. Expected a message, got a 500.",
    state: "open",
    labels: ["bug"],
  },
  { number: 102, title: "Add dark mode", body: "Please.", state: "closed", labels: ["enhancement"] },
  { number: 101, title: "Typo on the pricing page", body: "'Montly' should be 'Monthly'.", state: "open", labels: ["docs"] },
];

export const startGithubApi = tool("start_github_api", {
  description:
    "Starts a local HTTP server on 127.0.0.1 that simulates the GitHub REST API for one repository: issues from <workDir>/github/issues.json, PRs appended to pulls.json.",
  input: z.object({ workDir: z.string(), repo: repoName }),
  output: localServerSchema,
  run: async ({ workDir, repo }) => {
    const dir = join(resolve(workDir), "github");
    if (!existsSync(join(dir, "issues.json"))) await writeJson(join(dir, "issues.json"), SEED_ISSUES);
    const issues = z.array(issue).parse(await readJson(join(dir, "issues.json")));
    const pulls = existsSync(join(dir, "pulls.json")) ? ((await readJson(join(dir, "pulls.json"))) as { number: number }[]) : [];
    const server = await startLocalServer("github", ({ method, path, query, body }) => {
      if (!path.startsWith(`/repos/${repo}/`)) return { status: 404, body: { message: "Not Found" } };
      const resource = path.slice(`/repos/${repo}/`.length);
      if (method === "GET" && resource === "issues") {
        const state = query.get("state") ?? "open";
        return {
          body: issues
            .filter((i) => state === "all" || i.state === state)
            .map((i) => ({ ...i, labels: i.labels.map((name) => ({ name })) })),
        };
      }
      if (method === "POST" && resource === "pulls") {
        const request = z.object({ title: z.string().min(1), body: z.string(), head: z.string().min(1), base: z.string() }).parse(body);
        const number = Math.max(0, ...issues.map((i) => i.number), ...pulls.map((p) => p.number)) + 1;
        const pull = { number, ...request, state: "open", html_url: `${server.url}/${repo}/pull/${number}` };
        pulls.push(pull);
        return writeJson(join(dir, "pulls.json"), pulls).then(() => ({ status: 201, body: pull }));
      }
      return { status: 404, body: { message: "Not Found" } };
    });
    return server;
  },
});

export const startSlackWebhook = tool("start_slack_webhook", {
  description:
    "Starts a local HTTP server on 127.0.0.1 that simulates a Slack incoming webhook: each message is appended to <workDir>/slack/messages.jsonl.",
  input: z.object({ workDir: z.string() }),
  output: localServerSchema,
  run: async ({ workDir }) => {
    const log = join(resolve(workDir), "slack", "messages.jsonl");
    await mkdir(join(resolve(workDir), "slack"), { recursive: true });
    const server = await startLocalServer("slack", async ({ method, body }) => {
      if (method !== "POST") return { status: 405, body: { message: "POST a message" } };
      const message = z.object({ channel: z.string(), text: z.string().min(1) }).parse(body);
      const ts = `${(Date.now() / 1000).toFixed(6)}`;
      await appendFile(log, `${JSON.stringify({ ...message, ts })}\n`);
      return { body: { ok: true, ts } };
    });
    return { ...server, url: `${server.url}/services/T0000/B0000/local` };
  },
});

export const githubListIssues = tool("github_list_issues", {
  description: "Lists a repository's issues through the GitHub REST API (here, the local simulation).",
  input: z.object({ apiUrl: loopbackUrl, repo: repoName, state: z.enum(["open", "closed", "all"]).default("open") }),
  output: z.object({ issues: z.array(issue), count: z.number().int() }),
  run: async ({ apiUrl, repo, state }, { signal }) => {
    const raw = z
      .array(issue.extend({ labels: z.array(z.object({ name: z.string() })) }))
      .parse(await requestJson(`${apiUrl}/repos/${repo}/issues?state=${state}`, { signal }));
    const issues = raw.map((i) => ({ ...i, labels: i.labels.map((l) => l.name) }));
    return { issues, count: issues.length };
  },
});

export const gitCommitFix = tool("git_commit_fix", {
  description:
    "Commits a fix note on a new branch of the local git repository <workDir>/repo (git init on first use). Without git, writes the file and returns commit: null.",
  input: z.object({ workDir: z.string(), branch: z.string().min(1), issueNumber: z.number().int(), issueTitle: z.string() }),
  output: z.object({
    branch: z.string(),
    file: z.string(),
    commit: z
      .string()
      .regex(/^[0-9a-f]{40,64}$/)
      .nullable(),
    vcs: z.enum(["git", "none"]),
  }),
  run: async ({ workDir, branch, issueNumber, issueTitle }, { signal }) => {
    const repoDir = join(resolve(workDir), "repo");
    const file = join("fixes", `issue-${issueNumber}.md`);
    const useGit = await hasCommand("git");
    const env = { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined };
    const git = (...args: string[]) =>
      runCommand(
        "git",
        ["-c", "user.name=toolweave example", "-c", "user.email=example@toolweave.invalid", "-c", "commit.gpgsign=false", ...args],
        { cwd: repoDir, env, signal },
      );
    await mkdir(join(repoDir, "fixes"), { recursive: true });
    if (useGit && !existsSync(join(repoDir, ".git"))) {
      await git("init", "-q");
      await git("symbolic-ref", "HEAD", "refs/heads/main");
      await writeFile(join(repoDir, "README.md"), "# webapp\n");
      await git("add", "README.md");
      await git("commit", "-q", "-m", "Initial commit");
    }
    if (useGit) await git("checkout", "-q", "-B", branch, "main");
    await writeFile(join(repoDir, file), `# Fix #${issueNumber}: ${issueTitle}\n\nPrepared ${new Date().toISOString()}.\n`);
    if (!useGit) return { branch, file, commit: null, vcs: "none" as const };
    await git("add", file);
    await git("commit", "-q", "--allow-empty", "-m", `Fix #${issueNumber}: ${issueTitle}`);
    const commit = await git("rev-parse", "HEAD");
    await git("checkout", "-q", "main");
    return { branch, file, commit, vcs: "git" as const };
  },
});

export const githubCreatePr = tool("github_create_pr", {
  description: "Opens a pull request through the GitHub REST API (here, the local simulation).",
  input: z.object({
    apiUrl: loopbackUrl,
    repo: repoName,
    title: z.string().min(1),
    body: z.string(),
    head: z.string(),
    base: z.string().default("main"),
  }),
  output: z.object({ number: z.number().int(), url: z.string().url(), state: z.literal("open") }),
  run: async ({ apiUrl, repo, title, body, head, base }, { signal }) => {
    const pr = z
      .object({ number: z.number(), html_url: z.string(), state: z.literal("open") })
      .parse(await requestJson(`${apiUrl}/repos/${repo}/pulls`, { body: { title, body, head, base }, signal }));
    return { number: pr.number, url: pr.html_url, state: pr.state };
  },
});

export const slackSendMessage = tool("slack_send_message", {
  description: "Posts a message to a Slack incoming webhook (here, the local simulation).",
  input: z.object({ webhookUrl: loopbackUrl, channel: z.string(), message: z.string().min(1) }),
  output: z.object({ channel: z.string(), ts: z.string() }),
  run: async ({ webhookUrl, channel, message }, { signal }) => {
    const { ts } = z
      .object({ ok: z.literal(true), ts: z.string() })
      .parse(await requestJson(webhookUrl, { body: { channel, text: message }, signal }));
    return { channel, ts };
  },
});

export const githubIssueToPr = workflow(
  "github_pr_workflow",
  {
    description: "Create PR and notify team",
    category: "development",
    tags: ["github", "slack", "git"],
    input: z.object({
      workDir: z.string().default(".weave/examples/github-issue-to-pr"),
      repo: repoName.default("acme/webapp"),
      slackChannel: z.string().default("#deployments"),
    }),
  },
  ({ input, step }) => {
    const github = step("start_github_api").tool(startGithubApi).with({ workDir: input.workDir, repo: input.repo });
    const slack = step("start_slack_webhook").tool(startSlackWebhook).with({ workDir: input.workDir });
    const issues = step("fetch_open_issues")
      .tool(githubListIssues)
      .with({ apiUrl: github.out.url, repo: input.repo, state: "open" })
      .describe("Fetch the open issues, newest first; the first one gets fixed");
    const fix = step("commit_fix")
      .tool(gitCommitFix)
      .with({
        workDir: input.workDir,
        branch: `fix/issue-${issues.out.issues[0].number}`,
        issueNumber: issues.out.issues[0].number,
        issueTitle: issues.out.issues[0].title,
      });
    const pr = step("create_pr")
      .tool(githubCreatePr)
      .with({
        apiUrl: github.out.url,
        repo: input.repo,
        title: `Fix issue #${issues.out.issues[0].number}: ${issues.out.issues[0].title}`,
        body: `Closes #${issues.out.issues[0].number}.\n\n> ${issues.out.issues[0].body}`,
        head: fix.out.branch,
      });
    const notify = step("notify_slack")
      .tool(slackSendMessage)
      .with({ webhookUrl: slack.out.url, channel: input.slackChannel, message: `PR created: ${pr.out.url}` });
    step("stop_github_api").tool(stopLocalServer).with({ serverId: github.out.serverId }).when(finished(notify));
    step("stop_slack_webhook").tool(stopLocalServer).with({ serverId: slack.out.serverId }).when(finished(notify));
    return { prUrl: pr.out.url, prNumber: pr.out.number, branch: fix.out.branch, commit: fix.out.commit, slackTs: notify.out.ts };
  },
);
