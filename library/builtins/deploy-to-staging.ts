/** @module Built-in `deploy_to_staging` (the guide's): build → push → kubectl apply, with a cleanup on failure. */
import { z } from "zod";
import { failed, workflow } from "../../dsl/index.js";
import { cleanupResources, dockerBuild, dockerPush } from "./tools/containers.js";
import { kubectlApply } from "./tools/kubernetes.js";

export const deployToStaging = workflow(
  "deploy_to_staging",
  {
    description: "Deploy application to staging environment: build the image, push it, apply the manifest; clean up if the deploy fails",
    category: "deployment",
    tags: ["docker", "kubernetes", "k8s", "kubectl", "staging"],
    input: z.object({
      image: z.string().describe("name:tag"),
      manifest: z.string().default("k8s/staging.yaml"),
      namespace: z.string().default("staging"),
    }),
  },
  ({ input, step }) => {
    const build = step("build").tool(dockerBuild).with({ image: input.image });
    const push = step("push").tool(dockerPush).with({ image: input.image, imageId: build.out.imageId });
    const deploy = step("deploy")
      .tool(kubectlApply)
      .with({ manifest: input.manifest, image: push.out.imageRef, namespace: input.namespace })
      .retry({ max: 2, delayMs: 1000, backoff: "exponential" })
      .timeout(300_000);
    step("cleanup")
      .tool(cleanupResources)
      .with({ resourceId: push.out.imageRef, reason: "deploy to staging failed" })
      .when(failed(deploy))
      .describe("Failure handler: runs only when the deploy failed");
    return { url: deploy.out.url, imageRef: push.out.imageRef };
  },
);
