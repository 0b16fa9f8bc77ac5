/** @module Container tools (Docker, image scanning) the built-in workflows call (declarations only). */
import { z } from "zod";
import { tool } from "../../../dsl/index.js";

export const dockerBuild = tool("docker_build", {
  description: "Builds an image from a context directory.",
  input: z.object({
    image: z.string().describe("name:tag"),
    context: z.string().default("."),
    dockerfile: z.string().default("Dockerfile"),
  }),
  output: z.object({ imageId: z.string(), sizeMb: z.number() }),
});

export const dockerPush = tool("docker_push", {
  description: "Pushes a built image to its registry.",
  input: z.object({ image: z.string(), imageId: z.string() }),
  output: z.object({ imageRef: z.string().describe("registry/name@sha256:..."), digest: z.string() }),
});

export const imageScan = tool("image_scan", {
  description: "Scans an image for known vulnerabilities (Trivy, Grype, ...).",
  input: z.object({ imageId: z.string(), severity: z.enum(["low", "medium", "high", "critical"]).default("high") }),
  output: z.object({ critical: z.number().int(), high: z.number().int(), reportUrl: z.string() }),
});

export const cleanupResources = tool("cleanup_resources", {
  description: "Deletes what a failed deployment left behind.",
  input: z.object({ resourceId: z.string(), reason: z.string() }),
  output: z.object({ deleted: z.array(z.string()) }),
});
