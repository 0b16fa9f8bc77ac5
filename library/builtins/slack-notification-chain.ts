/** @module Built-in `slack_notification_chain`: post, then pin, cross-post and e-mail the link in parallel. */
import { z } from "zod";
import { workflow } from "../../dsl/index.js";
import { sendEmail, slackPinMessage, slackSendMessage } from "./tools/slack.js";

export const slackNotificationChain = workflow(
  "slack_notification_chain",
  {
    description: "Announce something: post to a Slack channel, then pin it, cross-post its link to a second channel and e-mail it",
    category: "communication",
    tags: ["slack", "notification", "announcement", "email"],
    input: z.object({
      channel: z.string(),
      message: z.string(),
      alsoChannel: z.string().describe("a second channel that gets the link"),
      emailTo: z.array(z.string()).default([]),
      subject: z.string().default("Announcement"),
    }),
  },
  ({ input, step }) => {
    const post = step("post").tool(slackSendMessage).with({ channel: input.channel, message: input.message });
    step("pin").tool(slackPinMessage).with({ channel: post.out.channel, ts: post.out.ts });
    step("crosspost")
      .tool(slackSendMessage)
      .with({ channel: input.alsoChannel, message: `${input.message} (${post.out.permalink})` });
    step("email")
      .tool(sendEmail)
      .with({ to: input.emailTo, subject: input.subject, body: `${input.message}\n\n${post.out.permalink}` });
    return { permalink: post.out.permalink, ts: post.out.ts };
  },
);
