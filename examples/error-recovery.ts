/**
 * error_recovery: the user guide's error recovery, end to end. `deploy` creates a resource and fails its readiness
 * probe; `cleanup` runs only because deploy failed, and removes the resource deploy created, whose id it reads from
 * the failed step's partial result (`deploy.out.resource_id`, `{{deploy.resource_id}}` in the template).
 *
 *   npx weave run examples/error-recovery.ts                               # fails on purpose (exit 1), cleans up
 *   npx weave run examples/error-recovery.ts --var breakHealthCheck=false  # the deploy succeeds, cleanup is skipped
 *
 * The same workflow as a JSON template: examples/error-recovery.workflow.json with examples/error-recovery-tools.ts.
 *
 * Real, under <workDir> (default .weave/examples/error-recovery): the resource's folder resources/<id>/ with its
 * manifest, a readiness probe in a child Node process, and cleanup.log. Simulated: the broken deploy. With
 * breakHealthCheck (the default) the manifest names a probe path that fails, as a rollout of a bad image would.
 * A failed step has a result only when its tool says what it got done: deploy_app throws `fail(message, { result:
 * { resource_id } })` (a ToolError), so the handler can clean up; without that, reading deploy.out.resource_id in the
 * handler would fail, and only deploy.error could be read.
 */
import { z } from "zod";
import { failed, tool, workflow } from "toolweave";
import { createResource, probeReadiness, removeResource } from "./support/resources.js";

export const deployApp = tool("deploy_app", {
  description:
    "Creates the resource of a manifest (<workDir>/resources/<id>) and waits for its readiness probe; on failure, says which resource it left behind.",
  input: z.object({ workDir: z.string(), manifest: z.string(), breakHealthCheck: z.boolean() }),
  output: z.object({ resource_id: z.string(), path: z.string(), url: z.string() }),
  run: async ({ workDir, manifest, breakHealthCheck }, { fail, signal, idempotencyKey }) => {
    const resource = await createResource(workDir, manifest, breakHealthCheck, idempotencyKey);
    try {
      await probeReadiness(resource, signal);
    } catch (error) {
      // the resource exists: hand its id to the failure handlers
      throw fail(`deploy of ${manifest} failed: ${(error as Error).message}`, {
        result: { resource_id: resource.resource_id, path: resource.path },
        cause: error,
      });
    }
    return { ...resource, url: `file://${resource.path}` };
  },
});

export const cleanupResources = tool("cleanup_resources", {
  description: "Deletes a resource (what deploy_app created) and logs why to <workDir>/cleanup.log.",
  input: z.object({ workDir: z.string(), resource_id: z.string(), reason: z.string() }),
  output: z.object({ removed: z.string(), existed: z.boolean() }),
  run: ({ workDir, resource_id, reason }) => removeResource(workDir, resource_id, reason),
});

export const errorRecovery = workflow(
  "error_recovery",
  {
    description: "Deploy, and when the deploy fails, clean up the resource it created",
    category: "deployment",
    tags: ["error-handling", "guide"],
    input: z.object({
      workDir: z.string().default(".weave/examples/error-recovery"),
      manifest: z.string().default("staging.yaml"),
      breakHealthCheck: z.boolean().default(true),
    }),
  },
  ({ input, step }) => {
    const deploy = step("deploy")
      .tool(deployApp)
      .with({ workDir: input.workDir, manifest: input.manifest, breakHealthCheck: input.breakHealthCheck });
    step("cleanup")
      .tool(cleanupResources)
      // weave-ignore failed-step-result: deploy_app fails with fail(message, { result: { resource_id } }), so its failure has the id
      .with({ workDir: input.workDir, resource_id: deploy.out.resource_id, reason: deploy.error })
      .when(failed(deploy))
      .describe("Cleanup after failed deployment");
    return { url: deploy.out.url };
  },
);
