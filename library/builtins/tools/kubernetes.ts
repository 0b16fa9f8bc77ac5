/** @module Kubernetes and HTTP checks the built-in workflows call (declarations only). */
import { z } from "zod";
import { tool } from "../../../dsl/index.js";

export const kubectlApply = tool("kubectl_apply", {
  description: "Applies a manifest with the given image to a cluster namespace and waits for the rollout.",
  input: z.object({
    manifest: z.string(),
    image: z.string(),
    namespace: z.string().default("default"),
    region: z.string().optional(),
    replicas: z.number().int().min(1).default(2),
  }),
  output: z.object({ url: z.string(), revision: z.number().int(), resourceId: z.string() }),
});

export const kubectlLogs = tool("kubectl_logs", {
  description: "Fetches recent logs of a service's pods.",
  input: z.object({ service: z.string(), namespace: z.string().default("default"), sinceMinutes: z.number().int().default(30) }),
  output: z.object({ lines: z.array(z.string()), errors: z.number().int() }),
});

export const httpHealthCheck = tool("http_health_check", {
  description: "Calls each URL's health endpoint and reports which ones answer 2xx.",
  input: z.object({ urls: z.array(z.string()), path: z.string().default("/healthz") }),
  output: z.object({ healthy: z.boolean(), failing: z.array(z.string()) }),
});
