/** @module Built-in `data_pipeline_etl`: extract over HTTP (with retries), validate, transform, load. */
import { z } from "zod";
import { isTrue, workflow } from "../../dsl/index.js";
import { httpFetch, transformData, validateData, warehouseLoad } from "./tools/operations.js";

export const dataPipelineEtl = workflow(
  "data_pipeline_etl",
  {
    description: "ETL data pipeline: extract a file over HTTP, validate its rows, transform them and load them into a warehouse table",
    category: "data",
    tags: ["etl", "pipeline", "warehouse", "data-quality"],
    input: z.object({
      sourceUrl: z.string(),
      schema: z.string().describe("schema the rows must match"),
      transformation: z.string().describe("SQL or script applied to the rows"),
      table: z.string(),
    }),
  },
  ({ input, step }) => {
    const extract = step("extract")
      .tool(httpFetch)
      .with({ url: input.sourceUrl })
      .retry({ max: 3, delayMs: 2000, backoff: "exponential" })
      .timeout(120_000);
    const check = step("validate").tool(validateData).with({ path: extract.out.path, schema: input.schema });
    const transformed = step("transform")
      .tool(transformData)
      .with({ path: extract.out.path, transform: input.transformation })
      .when(isTrue(check.out.valid))
      .describe("Only rows that passed validation are transformed and loaded");
    const load = step("load").tool(warehouseLoad).with({ path: transformed.out.path, table: input.table });
    return { table: load.out.table, rows: load.out.loadedRows };
  },
);
