/**
 * Workflow library benchmark: `WorkflowLibrary.search` over 10,000 generated workflows (names, descriptions, tags
 * and 3-8 tools drawn from realistic vocabularies, seeded), for a fixed set of queries: single words, several words
 * in any order, prefixes, typos, and each combined with category and tool filters. Baseline: a naive linear scan
 * with the same matching rules (the same words, prefixes, Levenshtein typos and field boosts) over pre-split
 * documents, in the same process. Prints a Markdown report (also written to bench/results/library.md) with
 * PASS/FAIL against the target. Also timed for reference: MiniSearch's own `search()` over the same fields with the
 * same tokenizer, boosts, prefix and fuzzy settings (the library keeps MiniSearch's term dictionary but scores in
 * typed arrays). A report, not a test: nothing here fails a build.
 *
 * npm run bench:library   (tsx bench/library.bench.ts)   env: WORKFLOWS=10000 REPS=50 BASELINE_REPS=5 MINISEARCH_REPS=10
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import MiniSearch from "minisearch";
import type { WorkflowStepOptions } from "../src/model/step.js";
import { WorkflowTemplate } from "../src/model/template.js";
import { WorkflowLibrary, type SearchQuery } from "../src/library/index.js";
import { FIELD_BOOSTS, fuzziness, toolsOf } from "../src/library/search-index.js";
import { normalizeTerm, splitWords, termsOf } from "../src/library/terms.js";
import { median, num, table } from "./lib/stats.js";

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const WORKFLOWS = env("WORKFLOWS", 10_000);
const REPS = env("REPS", 50);
const BASELINE_REPS = env("BASELINE_REPS", 5);
const MINISEARCH_REPS = env("MINISEARCH_REPS", 10);
const TARGET_MEDIAN_MS = 1;

const log = (msg: string): void => void process.stderr.write(`[bench:library] ${msg}\n`);

/** mulberry32: a small seeded PRNG, so every run searches the same library. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = [
  "github",
  "gitlab",
  "slack",
  "docker",
  "kubectl",
  "helm",
  "terraform",
  "aws",
  "gcp",
  "azure",
  "postgres",
  "mysql",
  "redis",
  "kafka",
  "s3",
  "jira",
  "pagerduty",
  "datadog",
  "sentry",
  "stripe",
  "twilio",
  "sendgrid",
  "snowflake",
  "bigquery",
  "airflow",
  "vault",
  "consul",
  "nginx",
  "npm",
  "pypi",
];
const VERBS = [
  "create",
  "list",
  "get",
  "update",
  "delete",
  "sync",
  "deploy",
  "build",
  "push",
  "pull",
  "scan",
  "backup",
  "restore",
  "notify",
  "send",
  "query",
  "export",
  "import",
  "rotate",
  "validate",
  "migrate",
  "publish",
  "archive",
  "approve",
];
const OBJECTS = [
  "issue",
  "pr",
  "message",
  "image",
  "cluster",
  "release",
  "secret",
  "table",
  "bucket",
  "topic",
  "incident",
  "alert",
  "report",
  "invoice",
  "ticket",
  "pipeline",
  "schema",
  "snapshot",
  "certificate",
  "user",
  "channel",
  "dashboard",
];
const ENVS = ["staging", "production", "dev", "canary", "eu", "us", "asia", "nightly", "weekly", "hotfix"];
const CATEGORIES = [
  "deployment",
  "development",
  "ci",
  "database",
  "operations",
  "communication",
  "data",
  "security",
  "billing",
  "infrastructure",
];
const TAGS = [
  "docker",
  "kubernetes",
  "k8s",
  "github",
  "slack",
  "backup",
  "security",
  "etl",
  "monitoring",
  "release",
  "migration",
  "terraform",
  "cloud",
  "notification",
  "compliance",
  "parallel",
  "on-call",
  "cost",
  "testing",
  "cache",
];
const FILLER = [
  "safely",
  "quickly",
  "every",
  "team",
  "service",
  "environment",
  "after",
  "before",
  "review",
  "changes",
  "results",
  "owners",
  "latest",
  "version",
  "failed",
  "runs",
  "reports",
  "region",
  "weekly",
  "summary",
];

function generate(n: number, seed: number): WorkflowTemplate[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: WorkflowTemplate[] = [];
  for (let i = 0; i < n; i++) {
    const verb = pick(VERBS);
    const object = pick(OBJECTS);
    const name = `${verb}_${object}_${pick(ENVS)}_${i}`;
    const words = [verb, "the", object, "in", pick(ENVS)];
    for (let k = 0, m = 4 + Math.floor(r() * 8); k < m; k++) words.push(pick([...FILLER, ...VERBS, ...OBJECTS]));
    const tags = [...new Set(Array.from({ length: 2 + Math.floor(r() * 3) }, () => pick(TAGS)))];
    const stepCount = 3 + Math.floor(r() * 6);
    const steps = Array.from(
      { length: stepCount },
      (_, s): WorkflowStepOptions => ({
        id: `s${s}`,
        toolName: `${pick(SERVICES)}_${pick(VERBS)}_${pick(OBJECTS)}`,
        parameters: s === 0 ? { target: "{{target}}" } : { from: `{{s${s - 1}.id}}` },
        dependsOn: s === 0 ? [] : [`s${s - 1}`],
      }),
    );
    out.push(new WorkflowTemplate({ name, description: words.join(" "), category: pick(CATEGORIES), tags, steps }));
  }
  return out;
}

/** What is searched: readable queries of each kind, alone and with filters. */
const QUERIES: { kind: string; query: SearchQuery }[] = [
  { kind: "one word", query: { query: "deploy" } },
  { kind: "one word", query: { query: "kubernetes" } },
  { kind: "one word", query: { query: "snapshot" } },
  { kind: "one word", query: { query: "slack" } },
  { kind: "words, any order", query: { query: "deploy kubernetes staging" } },
  { kind: "words, any order", query: { query: "staging kubernetes deploy" } },
  { kind: "words, any order", query: { query: "backup postgres snapshot" } },
  { kind: "words, any order", query: { query: "notify slack incident on-call" } },
  { kind: "prefix", query: { query: "depl" } },
  { kind: "prefix", query: { query: "kube stag" } },
  { kind: "prefix", query: { query: "certif rot" } },
  { kind: "typo", query: { query: "deplyo" } },
  { kind: "typo", query: { query: "kuberntes" } },
  { kind: "typo", query: { query: "snapshto backpu" } },
  { kind: "typo", query: { query: "incidnet alrt" } },
  { kind: "query + category", query: { query: "deploy", category: "deployment" } },
  { kind: "query + category", query: { query: "backup restore", category: "database" } },
  { kind: "query + tool", query: { query: "release", toolName: "github" } },
  { kind: "query + tool", query: { query: "deploy cluster", toolName: "kubectl_deploy_cluster" } },
  { kind: "query + category + tool", query: { query: "deployment", category: "deployment", toolName: "kubectl" } },
  { kind: "filters only", query: { category: "security" } },
  { kind: "filters only", query: { toolName: "slack_send_message" } },
];

interface Doc {
  readonly name: string;
  readonly category: string;
  readonly tools: readonly string[];
  readonly fields: readonly { readonly boost: number; readonly terms: readonly string[] }[];
}

function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The baseline: every document, every field, every word, compared with every query word. */
function linearScan(docs: readonly Doc[], q: SearchQuery): string[] {
  const words =
    q.query === undefined
      ? []
      : splitWords(q.query)
          .map(normalizeTerm)
          .filter((t): t is string => t !== null);
  const hits: { name: string; score: number; matched: number }[] = [];
  for (const doc of docs) {
    if (q.category !== undefined && doc.category.toLowerCase() !== q.category.toLowerCase()) continue;
    if (q.toolName !== undefined && !doc.tools.some((t) => t === q.toolName || t.startsWith(`${q.toolName}_`))) continue;
    if (words.length === 0) {
      hits.push({ name: doc.name, score: 0, matched: 0 });
      continue;
    }
    let score = 0;
    let matched = 0;
    for (const word of words) {
      const max = fuzziness(word) || 0;
      let best = 0;
      for (const field of doc.fields) {
        for (const term of field.terms) {
          const weight =
            term === word
              ? 1
              : word.length >= 2 && term.startsWith(word)
                ? 0.375
                : max > 0 && levenshtein(word, term, max) <= max
                  ? 0.45
                  : 0;
          best = Math.max(best, weight * field.boost);
        }
      }
      if (best > 0) (score += best), matched++;
    }
    if (matched > 0) hits.push({ name: doc.name, score, matched });
  }
  return hits.sort((a, b) => b.matched - a.matched || b.score - a.score || (a.name < b.name ? -1 : 1)).map((h) => h.name);
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

// --- build ---
log(`generating ${WORKFLOWS} workflows`);
const templates = generate(WORKFLOWS, 42);
const library = new WorkflowLibrary({ builtins: false });
const buildStart = performance.now();
for (const t of templates) library.register(t);
const buildMs = performance.now() - buildStart;
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
log(`registered and indexed in ${num(buildMs)} ms`);
const docs: Doc[] = templates.map((t) => ({
  name: t.name,
  category: t.category,
  tools: toolsOf(t),
  fields: [
    { boost: FIELD_BOOSTS.name, terms: termsOf(t.name) },
    { boost: FIELD_BOOSTS.tags, terms: termsOf(t.tags.join(" ")) },
    { boost: FIELD_BOOSTS.tools, terms: termsOf(toolsOf(t).join(" ")) },
    { boost: FIELD_BOOSTS.category, terms: termsOf(t.category) },
    { boost: FIELD_BOOSTS.description, terms: termsOf(t.description) },
  ],
}));

log("indexing the same workflows with MiniSearch (reference)");
const mini = new MiniSearch({
  fields: Object.keys(FIELD_BOOSTS),
  tokenize: splitWords,
  processTerm: normalizeTerm,
  searchOptions: { boost: FIELD_BOOSTS, prefix: (t: string) => t.length >= 2, fuzzy: (t: string) => fuzziness(t) || false },
});
mini.addAll(
  templates.map((t) => ({
    id: t.name,
    name: t.name,
    tags: t.tags.join(" "),
    tools: toolsOf(t).join(" "),
    category: t.category,
    description: t.description,
  })),
);
const docByName = new Map(docs.map((d) => [d.name, d]));
function miniSearch(q: SearchQuery): number {
  if (q.query === undefined) return -1;
  const keep = (name: string): boolean => {
    const d = docByName.get(name)!;
    return (
      (q.category === undefined || d.category === q.category) &&
      (q.toolName === undefined || d.tools.some((t) => t === q.toolName || t.startsWith(`${q.toolName}_`)))
    );
  };
  return mini.search(q.query, q.category === undefined && q.toolName === undefined ? {} : { filter: (r) => keep(r.id as string) }).length;
}

// --- measure ---
const time = (f: () => unknown): number => {
  const start = performance.now();
  f();
  return performance.now() - start;
};
for (let i = 0; i < 5; i++) for (const { query } of QUERIES) library.search(query); // JIT warm-up
const rows: string[][] = [];
const all: number[] = [];
const allBaseline: number[] = [];
const allMini: number[] = [];
let mismatches = 0;
for (const { kind, query } of QUERIES) {
  const samples = Array.from({ length: REPS }, () => time(() => library.search(query)));
  const baseline = Array.from({ length: BASELINE_REPS }, () => time(() => linearScan(docs, query)));
  const miniTimes = query.query === undefined ? [] : Array.from({ length: MINISEARCH_REPS }, () => time(() => miniSearch(query)));
  allMini.push(...miniTimes);
  all.push(...samples);
  allBaseline.push(...baseline);
  const results = library.search(query);
  const expected = linearScan(docs, query);
  const found = new Set(results.map((w) => w.name));
  const same = expected.length === found.size && expected.every((n) => found.has(n));
  if (!same) mismatches++;
  rows.push([
    kind,
    `\`${JSON.stringify(query)}\``,
    String(results.length),
    num(median(samples), 3),
    num(percentile(samples, 95), 3),
    miniTimes.length ? num(median(miniTimes), 3) : "n/a",
    num(median(baseline), 1),
    `${num(median(baseline) / median(samples), 0)}x`,
    same ? "yes" : `no (${expected.length} vs ${found.size})`,
  ]);
}
const med = median(all);
const p95 = percentile(all, 95);
const baseMed = median(allBaseline);

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const report = `# toolweave workflow library benchmark

Environment: Node ${process.version}, ${cpu}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}

Generated ${new Date().toISOString()} by \`npm run bench:library\`. ${WORKFLOWS.toLocaleString("en")} generated workflows (seed 42; 3-8 tools each from ${SERVICES.length * VERBS.length * OBJECTS.length} possible tool names), no built-ins.

## Summary against the target

Target: search ≤ ${TARGET_MEDIAN_MS} ms median per query.

- search, all ${QUERIES.length} queries × ${REPS} runs: median **${num(med, 3)} ms** ${med <= TARGET_MEDIAN_MS ? "PASS" : "FAIL"}, p95 ${num(p95, 3)} ms, max ${num(Math.max(...all), 3)} ms
- baseline (naive linear scan, same matching rules), ${QUERIES.length} queries × ${BASELINE_REPS} runs: median ${num(baseMed, 1)} ms, p95 ${num(percentile(allBaseline, 95), 1)} ms: the index is **${num(baseMed / med, 0)}x** faster (ratio of medians)
- reference: MiniSearch's own \`search()\` on the same fields and settings, ${QUERIES.length - 2} queries with words × ${MINISEARCH_REPS} runs: median ${num(median(allMini), 3)} ms, p95 ${num(percentile(allMini, 95), 3)} ms
- matching cross-check: ${QUERIES.length - mismatches} of ${QUERIES.length} queries return exactly the workflows the linear scan finds
- building the library (register = validate + index) : ${num(buildMs, 0)} ms for ${WORKFLOWS.toLocaleString("en")} workflows (${num((buildMs * 1000) / WORKFLOWS, 1)} µs each); heap used after: ${num(heapMb, 0)} MB

## Per query

Times in ms (median and p95 of ${REPS} runs; MiniSearch median of ${MINISEARCH_REPS}; baseline median of ${BASELINE_REPS}). "Same matches": the index returns exactly the workflows the linear scan finds (the order differs: the scan scores the best match per word, without BM25).

${table(["kind", "query", "results", "median", "p95", "MiniSearch search()", "baseline", "speed-up vs baseline", "same matches"], rows, ["l", "l", "r", "r", "r", "r", "r", "r", "r"])}
`;
process.stdout.write(report);
const out = fileURLToPath(new URL("./results/library.md", import.meta.url));
mkdirSync(fileURLToPath(new URL("./results/", import.meta.url)), { recursive: true });
writeFileSync(out, report);
log(`wrote ${out}`);
