/** @module Built-in `incident_response`: page, open a channel, gather logs and metrics, post a summary. */
import { z } from "zod";
import { workflow } from "../../dsl/index.js";
import { githubCreateIssue } from "./tools/github.js";
import { kubectlLogs } from "./tools/kubernetes.js";
import { metricsQuery, pagerdutyCreateIncident } from "./tools/operations.js";
import { slackCreateChannel, slackSendMessage } from "./tools/slack.js";

export const incidentResponse = workflow(
  "incident_response",
  {
    description:
      "Respond to an incident: page the on-call, open an incident channel, gather logs and metrics, post a summary, open a postmortem issue",
    category: "operations",
    tags: ["incident", "on-call", "pagerduty", "slack", "monitoring", "kubernetes"],
    input: z.object({
      service: z.string(),
      title: z.string(),
      severity: z.enum(["sev1", "sev2", "sev3"]).default("sev2"),
      namespace: z.string().default("production"),
      repo: z.string().describe("owner/name of the repository for the postmortem issue"),
    }),
  },
  ({ input, step }) => {
    const page = step("page").tool(pagerdutyCreateIncident).with({ service: input.service, title: input.title, severity: input.severity });
    const room = step("open_channel")
      .tool(slackCreateChannel)
      .with({ name: `inc-${page.out.incidentId}`, invite: page.out.onCall });
    const logs = step("collect_logs").tool(kubectlLogs).with({ service: input.service, namespace: input.namespace });
    const metrics = step("collect_metrics")
      .tool(metricsQuery)
      .with({ query: `errors{service="${input.service}"}` });
    step("post_summary")
      .tool(slackSendMessage)
      .with({
        channel: room.out.channel,
        message: `${input.title} (${page.out.url}): ${logs.out.errors} errors in the logs; metrics: ${metrics.out.summary}`,
      });
    const postmortem = step("postmortem_issue")
      .tool(githubCreateIssue)
      .with({
        repo: input.repo,
        title: `Postmortem: ${input.title}`,
        body: `Incident ${page.out.url}, channel ${room.out.url}`,
        labels: ["postmortem"],
      });
    return { incident: page.out.url, channel: room.out.url, postmortem: postmortem.out.url };
  },
);
