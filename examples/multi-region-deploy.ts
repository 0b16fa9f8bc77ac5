/**
 * deploy_multi_region: dynamic fan-out and typed fan-in. After one build, a map step deploys to every region of the
 * input's list in parallel (two at a time), then verify_rollout takes the array of their results in region order.
 *
 *   npx weave run examples/multi-region-deploy.ts [--var rolloutMs=1000] [--vars '{"regions": ["eu-west-1"]}']
 *
 * Real, under <workDir> (default .weave/examples/multi-region-deploy): the image is built as in deploy-to-staging.ts
 * (a sample app packed by tar, named by its sha256); each regional deploy unpacks it into regions/<region>/<digest>;
 * verify hashes the three unpacked trees and compares them.
 * Simulated locally: the regions' deployment APIs and health endpoints are routes of one HTTP server the workflow
 * starts on 127.0.0.1 (POST /<region>/deployments takes `rolloutMs` to answer, like a rollout; GET /<region>/health
 * reports the image the region runs). The last step closes it whether or not the rollout verified.
 */
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { finished, NonRetryableError, tool, workflow } from "toolweave";
import { dockerBuild } from "./deploy-to-staging.js";
import { digestDirectory, unpackArchive } from "./support/files.js";
import { localServerSchema, loopbackUrl, requestJson, startLocalServer, stopLocalServer } from "./support/local-server.js";

export { dockerBuild, stopLocalServer };

const region = z.enum(["us-east-1", "eu-west-1", "ap-southeast-1", "sa-east-1"]);

export const startRegionalEndpoints = tool("start_regional_endpoints", {
  description:
    "Starts a local HTTP server on 127.0.0.1 that simulates each region's deployment API and health endpoint (us-east-1, eu-west-1, ap-southeast-1, sa-east-1).",
  input: z.object({ rolloutMs: z.number().int().min(0) }),
  output: localServerSchema,
  run: ({ rolloutMs }) => {
    const live = new Map<string, { imageId: string; revision: number }>();
    return startLocalServer("regions", async ({ method, path, body }) => {
      const [, name = "", resource] = path.split("/");
      if (!region.safeParse(name).success) return { status: 404, body: { message: `unknown region "${name}"` } };
      if (method === "POST" && resource === "deployments") {
        const { imageId } = z.object({ imageId: z.string() }).parse(body);
        await sleep(rolloutMs);
        const revision = (live.get(name)?.revision ?? 0) + 1;
        live.set(name, { imageId, revision });
        return { status: 201, body: { region: name, imageId, revision } };
      }
      const current = live.get(name);
      if (method === "GET" && resource === "health")
        return current ? { body: { status: "ok", ...current } } : { status: 503, body: { message: `nothing deployed in ${name}` } };
      return { status: 404, body: { message: `no route ${method} ${path}` } };
    });
  },
});

const deployment = z.object({ region, imageId: z.string(), revision: z.number().int(), releaseDir: z.string(), healthUrl: z.string() });

export const deployRegion = tool("deploy_region", {
  description:
    "Deploys the image to one region: unpacks it into <workDir>/regions/<region>/<digest> and posts the rollout to the region's (local, simulated) deployment API.",
  input: z.object({ workDir: z.string(), region, imageId: z.string(), archive: z.string(), endpoint: loopbackUrl }),
  output: deployment,
  run: async ({ workDir, region, imageId, archive, endpoint }, { signal }) => {
    const releaseDir = join(resolve(workDir), "regions", region, imageId.slice(-12));
    await rm(releaseDir, { recursive: true, force: true });
    await unpackArchive(archive, releaseDir);
    const { revision } = z
      .object({ revision: z.number() })
      .parse(await requestJson(`${endpoint}/${region}/deployments`, { body: { imageId }, signal }));
    return { region, imageId, revision, releaseDir, healthUrl: `${endpoint}/${region}/health` };
  },
});

export const verifyRegions = tool("verify_regions", {
  description:
    "Checks that every region's health endpoint reports the deployed image and that the regions' unpacked releases are byte-identical.",
  input: z.object({ deployments: z.array(deployment).min(1) }),
  output: z.object({
    imageId: z.string(),
    contentDigest: z.string(),
    regions: z.array(z.object({ region, revision: z.number().int(), status: z.literal("ok") })),
  }),
  run: async ({ deployments }, { signal }) => {
    const regions = [];
    const digests = new Set<string>();
    for (const d of deployments) {
      const health = z
        .object({ status: z.literal("ok"), imageId: z.string(), revision: z.number() })
        .parse(await requestJson(d.healthUrl, { signal }));
      if (health.imageId !== d.imageId) throw new Error(`${d.region} runs ${health.imageId}, expected ${d.imageId}`);
      digests.add(await digestDirectory(d.releaseDir));
      regions.push({ region: d.region, revision: health.revision, status: health.status });
    }
    const imageIds = new Set(deployments.map((d) => d.imageId));
    if (imageIds.size > 1 || digests.size > 1)
      throw new NonRetryableError(`regions differ: images ${[...imageIds].join(", ")}; content ${[...digests].join(", ")}`);
    return { imageId: deployments[0]!.imageId, contentDigest: [...digests][0]!, regions };
  },
});

export const multiRegionDeploy = workflow(
  "deploy_multi_region",
  {
    description: "Deploy to multiple regions in parallel",
    category: "deployment",
    tags: ["multi-region", "fan-out"],
    input: z.object({
      workDir: z.string().default(".weave/examples/multi-region-deploy"),
      image: z.string().default("myapp:1.0.0"),
      rolloutMs: z.number().int().min(0).default(300),
      regions: z.array(region).min(1).default(["us-east-1", "eu-west-1", "ap-southeast-1", "sa-east-1"]),
    }),
  },
  ({ input, step }) => {
    const build = step("build").tool(dockerBuild).with({ workDir: input.workDir, image: input.image });
    const endpoints = step("start_regional_endpoints").tool(startRegionalEndpoints).with({ rolloutMs: input.rolloutMs });
    const deploy = step("deploy")
      .forEach(input.regions, { as: "region", concurrency: 2 })
      .tool(deployRegion)
      .with((region) => ({
        workDir: input.workDir,
        region,
        imageId: build.out.imageId,
        archive: build.out.archive,
        endpoint: endpoints.out.url,
      }))
      .describe("Fan-out: one deploy per region of the input, two at a time");
    const verify = step("verify_rollout")
      .tool(verifyRegions)
      .with({ deployments: deploy.out })
      .describe("Fan-in: every region healthy, on the same image, with identical content");
    step("stop_regional_endpoints")
      .tool(stopLocalServer)
      .with({ serverId: endpoints.out.serverId })
      .when(finished(verify))
      .describe("Close the local server whether or not the rollout verified");
    return { imageId: verify.out.imageId, contentDigest: verify.out.contentDigest, regions: verify.out.regions };
  },
);
