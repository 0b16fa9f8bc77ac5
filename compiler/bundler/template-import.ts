/**
 * @module `?template` imports for bundlers, whatever the bundler: `import deploy from "./deploy.ts?template"` is the
 * workflow's compiled template, the very JSON `weave compile` writes for it, as a module's default export. This core
 * reads the query, checks the workflow file as `weave compile` would, and answers with the module's code or the
 * findings that stop it, plus the files to watch; a bundler's plugin (esbuild-plugin.ts) only translates.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { lint, type LintResult } from "../api.js";
import { compilable, projectRoot } from "../compiled-output.js";
import type { Diagnostic } from "../diagnostic.js";
import { ConfigError, findConfigFile } from "../lint-config.js";

/** An import specifier with a `?template` query (`?template`, `?workflow=<name>&template`, `?template=<name>`). */
export const TEMPLATE_IMPORT = /\?(?:[^?#]*&)?template(?:[=&]|$)/;

/** A `?template` import taken apart: the workflow file's specifier, and the workflow asked for, if one is. */
export interface TemplateQuery {
  /** The specifier without its query, to resolve as the bundler resolves any import. */
  readonly path: string;
  /** A workflow name or export name; without one, the file must export exactly one workflow. */
  readonly workflow?: string;
  /** The query in one spelling for each choice (`?template`, `?workflow=<name>&template`): one module per workflow. */
  readonly suffix: string;
}

/** Reads a `?template` specifier (or a suffix such as `?template`); a sentence saying what is wrong with it. */
export function parseTemplateQuery(specifier: string): TemplateQuery | { readonly error: string } {
  const at = specifier.indexOf("?");
  const base = at < 0 ? specifier : specifier.slice(0, at);
  const params = new URLSearchParams(at < 0 ? "" : specifier.slice(at + 1));
  const keys = [...params.keys()];
  const unknown = keys.filter((key) => key !== "template" && key !== "workflow");
  const twice = ["template", "workflow"].filter((key) => params.getAll(key).length > 1);
  const choices = [params.get("workflow"), params.get("template")].filter((v): v is string => v !== null && v !== "");
  const usage = 'write "./file.ts?template" (its only workflow) or "./file.ts?workflow=<name>&template"';
  if (!keys.includes("template")) return { error: `"${specifier}" has no "template" in its query. ${usage}` };
  if (unknown.length > 0 || twice.length > 0)
    return { error: `"${specifier}": unexpected ${[...unknown, ...twice].map((k) => `"${k}"`).join(", ")} in a ?template query. ${usage}` };
  if (choices.length > 1) return { error: `"${specifier}" names two workflows, "${choices[0]}" and "${choices[1]}". ${usage}` };
  if (params.get("workflow") === "") return { error: `"${specifier}": "workflow=" names no workflow. ${usage}` };
  const workflow = choices[0];
  return workflow === undefined
    ? { path: base, suffix: "?template" }
    : { path: base, workflow, suffix: `?workflow=${encodeURIComponent(workflow)}&template` };
}

/** What becomes of the imported workflow's lint warnings. */
export type WarningLevel = "warning" | "error" | "ignore";

export interface TemplateLoaderOptions {
  /** The folder findings name files from; the project root (which templates name sources from) is found from it. */
  readonly cwd: string;
  /** The config file (weave.config.json), relative to `cwd`; `false` for none. @default the nearest from `cwd` up */
  readonly config?: string | false;
  /** What the imported workflow's warnings become; infos are never reported. @default "warning" */
  readonly warnings?: WarningLevel;
}

/** Where a message points: a file as findings name it, a 1-based line and column (UTF-16 units), that line's text. */
export interface TemplateLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The span's length on its first line, in UTF-16 units. */
  readonly length: number;
  readonly lineText: string;
}

/** A finding of the imported workflow, or a problem with the import itself, as a bundler reports it. */
export interface TemplateMessage {
  /** The finding's message and its rule in brackets (`... [unknown-reference]`), or the problem. */
  readonly text: string;
  readonly location?: TemplateLocation;
}

/** A `?template` module: its code (when there is no error), the messages, and the files it was made from. */
export interface LoadedTemplate {
  /** `export default <the template JSON>;`, absent when `errors` is not empty. */
  readonly code?: string;
  readonly errors: TemplateMessage[];
  readonly warnings: TemplateMessage[];
  /** Absolute paths: the workflow file, the project files its extraction read, the config file. */
  readonly watchFiles: string[];
}

export interface TemplateLoader {
  /** The module for a workflow file (absolute) and a workflow of it (by name or export name), if one is named. */
  load(file: string, workflow?: string): Promise<LoadedTemplate>;
}

/** A check of one workflow file, kept until a file it was made from changes. */
interface Checked {
  readonly result: LintResult;
  readonly watchFiles: string[];
  /** Each watched file's text when it was checked (undefined: there was none). Texts, not times: two saves within
   * a clock tick must not leave a stale template. */
  readonly texts: readonly (string | undefined)[];
}

const textOf = (file: string): string | undefined => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(", ");

/**
 * Answers `?template` imports. Each workflow file is checked on its own (as `weave compile <file>` would), once, and
 * again only when it, a file its extraction read or the config file changed (a watch rebuild asks for every module).
 */
export function createTemplateLoader(options: TemplateLoaderOptions): TemplateLoader {
  const cwd = path.resolve(options.cwd);
  const root = projectRoot(cwd);
  const warningLevel = options.warnings ?? "warning";
  const checks = new Map<string, Promise<Checked | undefined>>();

  const check = async (file: string): Promise<Checked> => {
    const result = await lint({ cwd, paths: [file], ...(options.config !== undefined ? { config: options.config } : {}) });
    const shown = [...result.imports.values()].flat();
    if (result.config !== undefined) shown.push(result.config);
    const watchFiles = [file, ...new Set(shown.map((f) => path.resolve(cwd, f)))];
    return { result, watchFiles, texts: watchFiles.map(textOf) };
  };

  /** The file's check: the last one while nothing it was made from changed; one at a time per file. */
  const checked = (file: string): Promise<Checked | undefined> => {
    const previous = checks.get(file) ?? Promise.resolve(undefined);
    const next = previous
      .catch(() => undefined)
      .then((last) => (last?.watchFiles.every((f, i) => textOf(f) === last.texts[i]) ? last : check(file)));
    checks.set(file, next);
    return next;
  };

  return {
    async load(file, workflow) {
      let found: Checked;
      try {
        found = (await checked(file))!;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        // a config file that cannot be read is watched too: fixing it rebuilds
        const config = options.config === undefined ? findConfigFile(cwd) : options.config && path.resolve(cwd, options.config);
        return { errors: error.problems.map((text) => ({ text })), warnings: [], watchFiles: config ? [file, config] : [file] };
      }
      return { ...select(found.result, file, workflow, { cwd, root, warningLevel }), watchFiles: found.watchFiles };
    },
  };
}

interface SelectContext {
  readonly cwd: string;
  readonly root: string;
  readonly warningLevel: WarningLevel;
}

/** The module of one workflow of a checked file, or the errors that stop it. */
function select(result: LintResult, file: string, wanted: string | undefined, c: SelectContext): Omit<LoadedTemplate, "watchFiles"> {
  const shown = path.relative(c.cwd, file).split(path.sep).join("/");
  const own = result.workflows.filter((w) => path.resolve(c.cwd, w.file) === file);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  // workflows the extractor could not read (a non-static value) are named by their findings
  const unread = [...new Set(errors.map((d) => d.workflow))].filter(
    (name): name is string => name !== undefined && !own.some((w) => w.name === name),
  );
  const names = [...own.map((w) => w.name), ...unread];
  const fail = (found: readonly Diagnostic[], otherwise?: string) => ({
    errors: [...(otherwise === undefined ? [] : [{ text: otherwise }]), ...found.map((d) => message(d, result))],
    warnings: [],
  });

  if (wanted === undefined && names.length > 1)
    return fail([], `${shown} exports ${names.length} workflows, ${quoted(names)}. name one: "?workflow=${names[0]}&template"`);
  const w = wanted === undefined ? own[0] : own.find((o) => o.name === wanted || o.exportName === wanted);
  if (!w) {
    // not read: the findings that stopped it (the only workflow's, or the named one's), else those of the file
    if (wanted === undefined) return errors.length > 0 ? fail(errors) : fail([], `${shown} exports no workflow`);
    if (unread.includes(wanted)) return fail(errors.filter((d) => d.workflow === wanted || d.workflow === undefined));
    const known = names.length > 0 ? `. its workflows are ${quoted(names)}` : ". it exports no workflow";
    // a workflow that could not be read may be the one named by its export name: its findings follow
    return fail(
      errors.filter((d) => d.workflow === undefined || unread.includes(d.workflow)),
      `${shown} has no workflow named "${wanted}"${known}`,
    );
  }

  // the findings about this workflow, as `weave compile` counts them: of its file, of it or of no workflow
  const about = (d: Diagnostic) =>
    path.resolve(c.cwd, d.span.file) === file && (d.workflow === undefined || d.workflow === w.name || d.workflow === w.exportName);
  const fatal = result.diagnostics.filter(
    (d) => about(d) && (d.severity === "error" || (d.severity === "warning" && c.warningLevel === "error")),
  );
  const output = compilable(result, c.cwd, c.root).find((f) => f.name === w.name);
  if (fatal.length > 0) return fail(fatal);
  if (!output) return fail([], `weave compile does not write workflow "${w.name}" of ${shown}`);
  const warnings = c.warningLevel === "warning" ? result.diagnostics.filter((d) => about(d) && d.severity === "warning") : [];
  return { code: `export default ${output.content.trimEnd()};\n`, errors: [], warnings: warnings.map((d) => message(d, result)) };
}

/** A finding as a message at its span. */
function message(d: Diagnostic, result: LintResult): TemplateMessage {
  const text = `${d.message} [${d.ruleId}]`;
  const source = result.sources.get(d.span.file);
  if (source === undefined) return { text };
  const lineText = source.split(/\r?\n/)[d.span.start.line - 1] ?? "";
  const { start, end } = d.span;
  const length = end.line === start.line ? Math.max(0, end.column - start.column) : Math.max(0, lineText.length - start.column + 1);
  return { text, location: { file: d.span.file, line: start.line, column: start.column, length, lineText } };
}
