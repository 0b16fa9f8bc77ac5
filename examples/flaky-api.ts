/**
 * flaky_api_fetch: a call retried with exponential backoff and bounded by a per-attempt timeout, against an API
 * that fails its first `failFirst` requests.
 *
 *   npx weave run examples/flaky-api.ts [--var failFirst=3 --var hangOnRequest=2 --var base=USD]
 *
 * Simulated locally: a flaky exchange-rate API, an HTTP server the workflow starts on 127.0.0.1. Its first
 * `failFirst` requests fail with 503, except request number `hangOnRequest` (0: none), which never answers, so the
 * step's 500 ms timeout aborts it. Later requests get 200 with the rates. A 4xx (an unknown `base`) is not retried.
 * Real: the HTTP calls (fetch, aborted through the step's signal on timeout), and the rates written to
 * <workDir>/rates-<base>.json (default workDir .weave/examples/flaky-api) with their sha256. The server is closed
 * at the end whether or not the call succeeded.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { finished, NonRetryableError, tool, workflow } from "toolweave";
import { sha256, writeJson } from "./support/files.js";
import { HttpError, localServerSchema, loopbackUrl, requestJson, startLocalServer, stopLocalServer } from "./support/local-server.js";

export { stopLocalServer };

const EUR_RATES: Record<string, number> = { EUR: 1, USD: 1.08, GBP: 0.85, JPY: 163.2, CHF: 0.94 };
const currency = z.string().regex(/^[A-Z]{3}$/, "expected a currency code such as EUR");

export const startFlakyApi = tool("start_flaky_api", {
  description:
    "Starts a local HTTP server on 127.0.0.1 that simulates a flaky exchange-rate API: the first `failFirst` requests get 503 (request `hangOnRequest` gets no answer at all), later ones the rates.",
  input: z.object({ failFirst: z.number().int().min(0), hangOnRequest: z.number().int().min(0) }),
  output: localServerSchema,
  run: ({ failFirst, hangOnRequest }) =>
    startLocalServer("flaky-api", ({ path, query, count }) => {
      if (count <= failFirst && count === hangOnRequest) return { body: {}, delayMs: 60_000 };
      if (count <= failFirst) return { status: 503, body: { message: `service unavailable (request ${count} of ${failFirst} failing)` } };
      if (path !== "/v1/rates") return { status: 404, body: { message: `no route ${path}` } };
      const base = query.get("base") ?? "EUR";
      const perEur = EUR_RATES[base];
      if (perEur === undefined) return { status: 400, body: { message: `unknown base currency ${base}` } };
      const rates = Object.fromEntries(Object.entries(EUR_RATES).map(([code, rate]) => [code, Number((rate / perEur).toFixed(6))]));
      return { body: { base, date: new Date().toISOString().slice(0, 10), rates, servedOnRequest: count } };
    }),
});

export const fetchExchangeRates = tool("fetch_exchange_rates", {
  description:
    "GETs /v1/rates from the exchange-rate API (here, the local simulation). A 5xx or a timeout is worth retrying; a 4xx is not.",
  input: z.object({ apiUrl: loopbackUrl, base: currency }),
  output: z.object({
    base: z.string(),
    date: z.string(),
    rates: z.record(z.string(), z.number().positive()),
    servedOnRequest: z.number().int(),
    /** Which attempt of the step got the answer (1 = first try). */
    attempt: z.number().int().min(1),
  }),
  run: async ({ apiUrl, base }, { signal, attempt }) => {
    try {
      const body = await requestJson(`${apiUrl}/v1/rates?base=${base}`, { signal });
      return {
        ...z
          .object({ base: z.string(), date: z.string(), rates: z.record(z.string(), z.number()), servedOnRequest: z.number() })
          .parse(body),
        attempt,
      };
    } catch (error) {
      if (error instanceof HttpError && error.status < 500) throw new NonRetryableError(error.message);
      throw error;
    }
  },
});

export const writeRatesFile = tool("write_rates_file", {
  description: "Writes the rates as JSON and returns the file's sha256.",
  input: z.object({ path: z.string(), base: z.string(), date: z.string(), rates: z.record(z.string(), z.number()) }),
  output: z.object({ path: z.string(), bytes: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  run: async ({ path, base, date, rates }) => {
    const file = resolve(path);
    await writeJson(file, { base, date, rates });
    const content = await readFile(file);
    return { path: file, bytes: content.length, sha256: sha256(content) };
  },
});

export const flakyApiFetch = workflow(
  "flaky_api_fetch",
  {
    description: "Fetch exchange rates from a flaky API with retries, exponential backoff and a timeout",
    category: "integration",
    tags: ["retry", "http"],
    input: z.object({
      workDir: z.string().default(".weave/examples/flaky-api"),
      base: currency.default("EUR"),
      failFirst: z.number().int().min(0).default(3),
      hangOnRequest: z.number().int().min(0).default(2),
    }),
  },
  ({ input, step }) => {
    const api = step("start_flaky_api").tool(startFlakyApi).with({ failFirst: input.failFirst, hangOnRequest: input.hangOnRequest });
    const rates = step("fetch_rates")
      .tool(fetchExchangeRates)
      .with({ apiUrl: api.out.url, base: input.base })
      .retry({ max: 4, delayMs: 50, backoff: "exponential" })
      .timeout(500)
      .describe("Up to 5 attempts of at most 500 ms each, waiting about 50, 100, 200, 400 ms (with jitter) between them");
    const saved = step("save_rates")
      .tool(writeRatesFile)
      .with({ path: `${input.workDir}/rates-${input.base}.json`, base: rates.out.base, date: rates.out.date, rates: rates.out.rates });
    step("stop_flaky_api")
      .tool(stopLocalServer)
      .with({ serverId: api.out.serverId })
      .when(finished(saved))
      .describe("Close the local server whether or not the rates were fetched");
    return { ratesFile: saved.out.path, sha256: saved.out.sha256, succeededOnAttempt: rates.out.attempt, rates: rates.out.rates };
  },
);
