/** @module Built-in `github_pr_workflow` (the guide's): newest open issue → pull request → Slack message. */
import { z } from "zod";
import { workflow } from "../../dsl/index.js";
import { githubCreatePr, githubListIssues } from "./tools/github.js";
import { slackSendMessage } from "./tools/slack.js";

export const githubPrWorkflow = workflow(
  "github_pr_workflow",
  {
    description: "Create PR and notify team: open a pull request for the newest open issue and post its link to Slack",
    category: "development",
    tags: ["github", "pull-request", "issues", "slack", "notification"],
    input: z.object({
      repo: z.string().describe("owner/name"),
      branch: z.string().describe("the branch holding the fix"),
      slackChannel: z.string().default("#dev"),
    }),
  },
  ({ input, step }) => {
    const issues = step("list_issues")
      .tool(githubListIssues)
      .with({ repo: input.repo, state: "open" })
      .describe("Fetch the open issues; the newest one gets the pull request");
    const pr = step("create_pr")
      .tool(githubCreatePr)
      .with({
        repo: input.repo,
        title: `Fix issue #${issues.out.issues[0].number}: ${issues.out.issues[0].title}`,
        body: `Closes #${issues.out.issues[0].number}.\n\n${issues.out.issues[0].body}`,
        head: input.branch,
      });
    step("notify")
      .tool(slackSendMessage)
      .with({ channel: input.slackChannel, message: `PR created: ${pr.out.prUrl}` });
    return { prUrl: pr.out.prUrl, prNumber: pr.out.number };
  },
);
