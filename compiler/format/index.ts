/** @module The output formats of `weave lint` and `weave compile`, by name. */
import type { Formatter } from "./types.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatPretty } from "./pretty.js";
import { formatSarif } from "./sarif.js";

export const FORMATS = { pretty: formatPretty, json: formatJson, sarif: formatSarif, github: formatGithub } as const satisfies Record<
  string,
  Formatter
>;
export type FormatName = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

export { formatGithub, formatJson, formatPretty, formatSarif };
export { summarize, summaryLine, type FormatOptions, type Formatter, type RuleMeta, type Summary } from "./types.js";
