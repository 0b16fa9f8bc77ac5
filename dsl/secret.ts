/** @module Marking a workflow input secret. */
import type { z } from "zod";

/**
 * Marks an input schema secret: `input: z.object({ token: secret(z.string()), repo: z.string() })`. The input's JSON
 * Schema says `"writeOnly": true`, and every run masks the value (wherever it appears, under any key, inside any
 * text) in the monitor's records and log, error messages, events, reports and `weave run` output; a durable run's
 * journal does not keep it, and a resume asks for it again. The type is unchanged: tools receive the real value.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ writeOnly: true });
}
