/**
 * @module Tools and schemas shared by the type tests (`*.test-d.ts`). Only type-checked: the test files never
 * run, and building these tools has no side effect.
 */
import { z } from "zod";
import { tool } from "toolweave";

/** A tool with every kind of field: defaults, optionals, an enum, a nested object and arrays. */
export const build = tool("build", {
  input: z.object({
    image: z.string(),
    tag: z.string().default("latest"),
    replicas: z.number().int().optional(),
    platform: z.enum(["linux/amd64", "linux/arm64"]).default("linux/amd64"),
    cache: z.object({ enabled: z.boolean(), paths: z.array(z.string()) }),
    labels: z.array(z.object({ key: z.string(), value: z.string() })),
  }),
  output: z.object({
    imageId: z.string(),
    sizeMb: z.number(),
    cached: z.boolean(),
    manifest: z.object({ digest: z.string(), layers: z.object({ count: z.number() }) }),
    items: z.array(z.object({ id: z.string(), bytes: z.number() })),
    warning: z.string().optional(),
    extra: z.object({ note: z.string() }).optional(),
  }),
});

export const push = tool("push", {
  input: z.object({ imageId: z.string(), retries: z.number().default(0) }),
  output: z.object({ ref: z.string(), ok: z.boolean() }),
});

export const apply = tool("apply", {
  input: z.object({ manifest: z.string(), replicas: z.number() }),
  output: z.object({ url: z.string(), ready: z.boolean(), pods: z.number(), phase: z.enum(["pending", "running", "done"]) }),
});

export const notify = tool("notify", {
  input: z.object({ text: z.string(), channel: z.string().optional() }),
  output: z.object({ sent: z.boolean() }),
});

/** The workflow input most cases use: a default, an optional enum. */
export const deployInput = z.object({
  image: z.string(),
  manifest: z.string(),
  replicas: z.number().default(2),
  env: z.enum(["staging", "prod"]).optional(),
});
export type DeployInput = z.output<typeof deployInput>;

/** `workflow()` options with `deployInput`. */
export const deployOptions = { description: "type test", input: deployInput };
