/** @module Built-in `docker_build_scan_push`: build, scan for vulnerabilities, push only a clean image. */
import { z } from "zod";
import { and, eq, lte, workflow } from "../../dsl/index.js";
import { dockerBuild, dockerPush, imageScan } from "./tools/containers.js";

export const dockerBuildScanPush = workflow(
  "docker_build_scan_push",
  {
    description: "Build a container image, scan it for vulnerabilities and push it to the registry only when the scan is clean",
    category: "ci",
    tags: ["docker", "container", "security", "vulnerability", "registry"],
    input: z.object({
      image: z.string().describe("name:tag"),
      context: z.string().default("."),
      maxHigh: z.number().int().min(0).default(0).describe("most high-severity findings allowed"),
    }),
  },
  ({ input, step }) => {
    const build = step("build").tool(dockerBuild).with({ image: input.image, context: input.context });
    const scan = step("scan").tool(imageScan).with({ imageId: build.out.imageId, severity: "high" });
    const push = step("push")
      .tool(dockerPush)
      .with({ image: input.image, imageId: build.out.imageId })
      .when(and(eq(scan.out.critical, 0), lte(scan.out.high, input.maxHigh)))
      .describe("Skipped when the scan found a critical finding or too many high ones");
    return { imageRef: push.out.imageRef, reportUrl: scan.out.reportUrl };
  },
);
