/** @module Slack and e-mail tools the built-in workflows call (declarations only). */
import { z } from "zod";
import { tool } from "../../../dsl/index.js";

export const slackSendMessage = tool("slack_send_message", {
  description: "Posts a message to a channel.",
  input: z.object({ channel: z.string(), message: z.string() }),
  output: z.object({ ts: z.string(), channel: z.string(), permalink: z.string() }),
});

export const slackPinMessage = tool("slack_pin_message", {
  description: "Pins a message in its channel.",
  input: z.object({ channel: z.string(), ts: z.string() }),
  output: z.object({ pinned: z.boolean() }),
});

export const slackCreateChannel = tool("slack_create_channel", {
  description: "Creates a channel and invites people.",
  input: z.object({ name: z.string(), invite: z.array(z.string()).default([]) }),
  output: z.object({ channel: z.string(), url: z.string() }),
});

export const sendEmail = tool("send_email", {
  description: "Sends an e-mail.",
  input: z.object({ to: z.array(z.string()), subject: z.string(), body: z.string() }),
  output: z.object({ messageId: z.string() }),
});
