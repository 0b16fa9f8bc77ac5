/** @module GitHub tools the built-in workflows call (declarations only: pass implementations to the executor). */
import { z } from "zod";
import { tool } from "../../../dsl/index.js";

const issue = z.object({ number: z.number().int(), title: z.string(), body: z.string(), url: z.string() });

export const githubListIssues = tool("github_list_issues", {
  description: "Lists a repository's issues, newest first.",
  input: z.object({ repo: z.string().describe("owner/name"), state: z.enum(["open", "closed", "all"]).default("open") }),
  output: z.object({ issues: z.array(issue), total: z.number().int() }),
});

export const githubCreatePr = tool("github_create_pr", {
  description: "Opens a pull request from a branch.",
  input: z.object({ repo: z.string(), title: z.string(), body: z.string(), head: z.string(), base: z.string().default("main") }),
  output: z.object({ prUrl: z.string(), number: z.number().int() }),
});

export const githubCreateIssue = tool("github_create_issue", {
  description: "Opens an issue.",
  input: z.object({ repo: z.string(), title: z.string(), body: z.string(), labels: z.array(z.string()).default([]) }),
  output: z.object({ url: z.string(), number: z.number().int() }),
});

export const githubCreateCommitStatus = tool("github_create_commit_status", {
  description: "Sets a commit status (the check shown on a pull request).",
  input: z.object({
    repo: z.string(),
    sha: z.string(),
    state: z.enum(["success", "failure", "pending"]),
    context: z.string(),
    description: z.string(),
  }),
  output: z.object({ url: z.string() }),
});
