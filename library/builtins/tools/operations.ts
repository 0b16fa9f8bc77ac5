/** @module Incident, monitoring, CI and data tools the built-in workflows call (declarations only). */
import { z } from "zod";
import { tool } from "../../../dsl/index.js";

export const pagerdutyCreateIncident = tool("pagerduty_create_incident", {
  description: "Opens an incident and pages the service's on-call.",
  input: z.object({ service: z.string(), title: z.string(), severity: z.enum(["sev1", "sev2", "sev3"]) }),
  output: z.object({ incidentId: z.string(), url: z.string(), onCall: z.array(z.string()) }),
});

export const metricsQuery = tool("metrics_query", {
  description: "Runs a metrics query (Prometheus, Datadog, ...) over the last minutes.",
  input: z.object({ query: z.string(), minutes: z.number().int().default(60) }),
  output: z.object({ summary: z.string(), anomalies: z.number().int() }),
});

export const runTests = tool("run_tests", {
  description: "Runs one test suite.",
  input: z.object({ suite: z.enum(["unit", "integration", "e2e"]), workspace: z.string() }),
  output: z.object({ passed: z.number().int(), failed: z.number().int(), summary: z.string() }),
});

export const prepareWorkspace = tool("prepare_workspace", {
  description: "Checks out a commit and installs its dependencies.",
  input: z.object({ repo: z.string(), sha: z.string() }),
  output: z.object({ workspace: z.string() }),
});

export const httpFetch = tool("http_fetch", {
  description: "Downloads a file over HTTP(S).",
  input: z.object({ url: z.string() }),
  output: z.object({ path: z.string(), bytes: z.number().int(), contentType: z.string() }),
});

export const validateData = tool("validate_data", {
  description: "Checks rows against a schema; reports the rows that fail.",
  input: z.object({ path: z.string(), schema: z.string() }),
  output: z.object({ valid: z.boolean(), rows: z.number().int(), rejectedPath: z.string() }),
});

export const transformData = tool("transform_data", {
  description: "Applies a SQL or script transformation to a file of rows.",
  input: z.object({ path: z.string(), transform: z.string() }),
  output: z.object({ path: z.string(), rows: z.number().int() }),
});

export const warehouseLoad = tool("warehouse_load", {
  description: "Loads a file of rows into a warehouse table (BigQuery, Snowflake, Postgres, ...).",
  input: z.object({ path: z.string(), table: z.string(), mode: z.enum(["append", "replace"]).default("append") }),
  output: z.object({ table: z.string(), loadedRows: z.number().int() }),
});
