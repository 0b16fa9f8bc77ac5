/** @module Built-in `deploy_multi_region` (the guide's): one build, three regions in parallel, one health check. */
import { z } from "zod";
import { workflow } from "../../dsl/index.js";
import { dockerBuild, dockerPush } from "./tools/containers.js";
import { httpHealthCheck, kubectlApply } from "./tools/kubernetes.js";

export const deployMultiRegion = workflow(
  "deploy_multi_region",
  {
    description:
      "Deploy to multiple regions in parallel (us-east-1, eu-west-1, ap-southeast-1) after one build, then check every region's health",
    category: "deployment",
    tags: ["docker", "kubernetes", "k8s", "multi-region", "parallel", "production"],
    input: z.object({
      image: z.string().describe("name:tag"),
      manifest: z.string().default("k8s/production.yaml"),
      namespace: z.string().default("production"),
    }),
  },
  ({ input, step }) => {
    const build = step("build").tool(dockerBuild).with({ image: input.image });
    const push = step("push").tool(dockerPush).with({ image: input.image, imageId: build.out.imageId });
    const target = { manifest: input.manifest, image: push.out.imageRef, namespace: input.namespace };
    const us = step("deploy_us")
      .tool(kubectlApply)
      .with({ ...target, region: "us-east-1" })
      .retry({ max: 2 });
    const eu = step("deploy_eu")
      .tool(kubectlApply)
      .with({ ...target, region: "eu-west-1" })
      .retry({ max: 2 });
    const asia = step("deploy_asia")
      .tool(kubectlApply)
      .with({ ...target, region: "ap-southeast-1" })
      .retry({ max: 2 });
    const verify = step("verify")
      .tool(httpHealthCheck)
      .with({ urls: [us.out.url, eu.out.url, asia.out.url] });
    return { urls: [us.out.url, eu.out.url, asia.out.url], healthy: verify.out.healthy };
  },
);
