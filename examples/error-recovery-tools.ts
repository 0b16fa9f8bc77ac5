/**
 * Tools for examples/error-recovery.workflow.json (the user guide's error recovery as a JSON template): the same real
 * work as examples/error-recovery.ts. deploy_app fails with a ToolError whose result names the resource it created,
 * which the template's cleanup step reads as {{deploy.resource_id}}.
 *
 *   npx weave run examples/error-recovery.workflow.json --tools examples/error-recovery-tools.ts
 */
import { ToolError, type ToolContext } from "toolweave";
import { createResource, probeReadiness, removeResource } from "./support/resources.js";

export default {
  async deploy_app(
    { workDir, manifest, breakHealthCheck }: { workDir: string; manifest: string; breakHealthCheck: boolean },
    { signal, idempotencyKey }: ToolContext,
  ) {
    const resource = await createResource(workDir, manifest, breakHealthCheck, idempotencyKey);
    try {
      await probeReadiness(resource, signal);
    } catch (error) {
      throw new ToolError(`deploy of ${manifest} failed: ${(error as Error).message}`, {
        result: { resource_id: resource.resource_id, path: resource.path },
        cause: error,
      });
    }
    return { ...resource, url: `file://${resource.path}` };
  },
  cleanup_resources: ({ workDir, resource_id, reason }: { workDir: string; resource_id: string; reason: string }) =>
    removeResource(workDir, resource_id, reason),
};
