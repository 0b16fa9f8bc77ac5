/**
 * @module The only file that touches the TypeScript parser (through ts-morph's bundled TypeScript). It parses
 * files (no program, no type checker, no dependency resolution) and converts them to the syntax tree of `syntax.ts`.
 */
import { createRequire } from "node:module";
import type { ts as TS } from "ts-morph";
import { readTextFileSync } from "../../src/util/text-file.js";

// Loaded with require: an ESM import of this large CommonJS package makes Node scan it for its export names first.
const { ts } = createRequire(import.meta.url)("ts-morph") as { ts: typeof TS };
import type { Export, Expr, Import, Module, Pattern, Prop, Stmt, TemplateText } from "./syntax.js";

export interface Parser {
  /** The module at an absolute path, or undefined when there is no such file. Parsed once; cached. */
  module(path: string): Module | undefined;
  /** Re-reads files from disk and drops their cached modules. */
  refresh(paths: readonly string[]): void;
}

/** Files a tsconfig includes (absolute paths), without reading them. */
export function tsconfigFiles(tsconfigPath: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  return (parsed?.fileNames ?? []).filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !f.endsWith(".d.ts"));
}

/**
 * Files are parsed one at a time with the compiler's own parser and converted at once; the TypeScript AST is then
 * garbage (only the small converted tree is cached), which keeps memory flat on large projects.
 */
export function createParser(): Parser {
  const cache = new Map<string, Module | undefined>();
  return {
    module(path) {
      if (cache.has(path)) return cache.get(path);
      let text: string;
      try {
        text = readTextFileSync(path);
      } catch {
        cache.set(path, undefined);
        return undefined;
      }
      const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, path.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
      const module = convertModule(path, sf);
      cache.set(path, module);
      return module;
    },
    refresh(paths) {
      for (const path of paths) cache.delete(path);
    },
  };
}

function convertModule(path: string, sf: TS.SourceFile): Module {
  const text = sf.text;
  const imports = new Map<string, Import>();
  const consts = new Map<string, Expr | undefined>();
  const exports: Export[] = [];
  const starExports: string[] = [];
  const isExported = (s: TS.Statement) =>
    ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.importClause && !s.importClause.isTypeOnly) {
      const from = s.moduleSpecifier.text;
      const clause = s.importClause;
      if (clause.name) imports.set(clause.name.text, { local: clause.name.text, imported: "default", from });
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) imports.set(nb.name.text, { local: nb.name.text, imported: "*", from });
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements)
          if (!el.isTypeOnly) imports.set(el.name.text, { local: el.name.text, imported: (el.propertyName ?? el.name).text, from });
      }
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        consts.set(
          d.name.text,
          (s.declarationList.flags & ts.NodeFlags.Const) !== 0 && d.initializer
            ? expr(d.initializer, sf)
            : d.initializer
              ? { kind: "other", what: "a let or var declaration", start: d.getStart(sf), end: d.end }
              : undefined,
        );
        if (isExported(s)) exports.push({ exportName: d.name.text, local: d.name.text, start: d.getStart(sf) });
      }
    } else if (ts.isExportAssignment(s) && !s.isExportEquals) {
      exports.push({ exportName: "default", expr: expr(s.expression, sf), start: s.getStart(sf) });
    } else if (ts.isExportDeclaration(s) && !s.isTypeOnly) {
      const from = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
      if (!s.exportClause) {
        if (from) starExports.push(from);
      } else if (ts.isNamedExports(s.exportClause)) {
        for (const el of s.exportClause.elements) {
          if (el.isTypeOnly) continue;
          exports.push({
            exportName: el.name.text,
            local: (el.propertyName ?? el.name).text,
            ...(from ? { from } : {}),
            start: el.getStart(sf),
          });
        }
      }
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name && isExported(s)) {
      exports.push({ exportName: s.name.text, start: s.getStart(sf) });
    }
  }
  return { path, text, imports, consts, exports, starExports };
}

const span = (n: TS.Node, sf: TS.SourceFile) => ({ start: n.getStart(sf), end: n.end });

function other(n: TS.Node, sf: TS.SourceFile, what: string): Expr {
  return { kind: "other", what, start: n.getStart(sf), end: n.end };
}

function templateText(n: TS.TemplateLiteralLikeNode, sf: TS.SourceFile, openLen: number, closeLen: number): TemplateText {
  const start = n.getStart(sf) + openLen;
  const end = n.end - closeLen;
  return { value: n.text, exact: sf.text.slice(start, end) === n.text, start, end };
}

function expr(n: TS.Expression, sf: TS.SourceFile): Expr {
  const s = span(n, sf);
  const k = ts.SyntaxKind;
  if (
    ts.isParenthesizedExpression(n) ||
    ts.isAsExpression(n) ||
    ts.isSatisfiesExpression(n) ||
    ts.isNonNullExpression(n) ||
    ts.isTypeAssertionExpression(n)
  ) {
    return expr(n.expression, sf);
  }
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) {
    return { kind: "string", value: n.text, exact: sf.text.slice(s.start + 1, s.end - 1) === n.text, start: s.start, end: s.end };
  }
  if (ts.isNumericLiteral(n)) return { kind: "number", value: Number(n.text), start: s.start, end: s.end };
  if (ts.isPrefixUnaryExpression(n) && n.operator === k.MinusToken && ts.isNumericLiteral(n.operand))
    return { kind: "number", value: -Number(n.operand.text), start: s.start, end: s.end };
  if (n.kind === k.TrueKeyword || n.kind === k.FalseKeyword)
    return { kind: "boolean", value: n.kind === k.TrueKeyword, start: s.start, end: s.end };
  if (n.kind === k.NullKeyword) return { kind: "null", start: s.start, end: s.end };
  if (ts.isRegularExpressionLiteral(n)) {
    const slash = n.text.lastIndexOf("/");
    return { kind: "regex", pattern: n.text.slice(1, slash), flags: n.text.slice(slash + 1), start: s.start, end: s.end };
  }
  if (ts.isTemplateExpression(n)) {
    const head = templateText(n.head, sf, 1, 2);
    const parts = n.templateSpans.map((t) => ({
      expr: expr(t.expression, sf),
      text: templateText(t.literal, sf, 1, ts.isTemplateTail(t.literal) ? 1 : 2),
    }));
    return { kind: "template", head, parts, start: s.start, end: s.end };
  }
  if (ts.isIdentifier(n)) return { kind: "ident", name: n.text, start: s.start, end: s.end };
  if (ts.isPropertyAccessExpression(n)) {
    if (n.questionDotToken) return other(n, sf, "an optional chain (?.)");
    if (!ts.isIdentifier(n.name)) return other(n, sf, "a private field access");
    return {
      kind: "member",
      object: expr(n.expression, sf),
      name: n.name.text,
      nameStart: n.name.getStart(sf),
      start: s.start,
      end: s.end,
    };
  }
  if (ts.isElementAccessExpression(n)) {
    if (n.questionDotToken) return other(n, sf, "an optional chain (?.)");
    return { kind: "index", object: expr(n.expression, sf), index: expr(n.argumentExpression, sf), start: s.start, end: s.end };
  }
  if (ts.isCallExpression(n)) {
    if (n.questionDotToken) return other(n, sf, "an optional call (?.)");
    return { kind: "call", callee: expr(n.expression, sf), args: n.arguments.map((a) => expr(a, sf)), start: s.start, end: s.end };
  }
  if (ts.isSpreadElement(n)) return { kind: "spread", expr: expr(n.expression, sf), start: s.start, end: s.end };
  if (ts.isObjectLiteralExpression(n)) return { kind: "object", props: n.properties.map((p) => prop(p, sf)), start: s.start, end: s.end };
  if (ts.isArrayLiteralExpression(n)) {
    return {
      kind: "array",
      elements: n.elements.map((e) => (ts.isOmittedExpression(e) ? other(e, sf, "an array hole") : expr(e, sf))),
      start: s.start,
      end: s.end,
    };
  }
  if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
    const params = n.parameters.map((p) => pattern(p, sf));
    const body = ts.isBlock(n.body) ? n.body.statements.map((st) => stmt(st, sf)) : expr(n.body, sf);
    return { kind: "arrow", params, body, start: s.start, end: s.end };
  }
  return other(n, sf, describeKind(n));
}

function prop(p: TS.ObjectLiteralElementLike, sf: TS.SourceFile): Prop {
  const s = span(p, sf);
  if (ts.isSpreadAssignment(p)) return { kind: "spread", expr: expr(p.expression, sf), start: s.start, end: s.end };
  if (ts.isShorthandPropertyAssignment(p))
    return { kind: "prop", key: p.name.text, value: { kind: "ident", name: p.name.text, ...span(p.name, sf) }, start: s.start, end: s.end };
  if (ts.isPropertyAssignment(p)) {
    const name = p.name;
    const key =
      ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)
        ? name.text
        : undefined;
    if (key === undefined) return { kind: "other", what: "a computed property key", ...span(name, sf) };
    return { kind: "prop", key, value: expr(p.initializer, sf), start: s.start, end: s.end };
  }
  return { kind: "other", what: ts.isMethodDeclaration(p) ? "a method" : "an accessor", start: s.start, end: s.end };
}

function pattern(p: TS.ParameterDeclaration, sf: TS.SourceFile): Pattern {
  const s = span(p, sf);
  if (p.dotDotDotToken || p.initializer) return { kind: "other", what: "a rest or defaulted parameter", start: s.start, end: s.end };
  if (ts.isIdentifier(p.name)) return { kind: "ident", name: p.name.text, start: s.start, end: s.end };
  if (ts.isObjectBindingPattern(p.name)) {
    const elements: { key: string; local: string }[] = [];
    for (const el of p.name.elements) {
      const key = el.propertyName
        ? ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName)
          ? el.propertyName.text
          : undefined
        : ts.isIdentifier(el.name)
          ? el.name.text
          : undefined;
      if (key === undefined || !ts.isIdentifier(el.name) || el.dotDotDotToken || el.initializer)
        return { kind: "other", what: "a nested or defaulted destructuring", start: s.start, end: s.end };
      elements.push({ key, local: el.name.text });
    }
    return { kind: "object", elements, start: s.start, end: s.end };
  }
  return { kind: "other", what: "an array destructuring", start: s.start, end: s.end };
}

function stmt(st: TS.Statement, sf: TS.SourceFile): Stmt {
  const s = span(st, sf);
  if (ts.isVariableStatement(st)) {
    const list = st.declarationList;
    const d = list.declarations[0];
    if (list.declarations.length !== 1 || !d)
      return { kind: "other", what: "a declaration of several variables", start: s.start, end: s.end };
    if ((list.flags & ts.NodeFlags.Const) === 0) return { kind: "other", what: "a let or var declaration", start: s.start, end: s.end };
    if (!ts.isIdentifier(d.name)) return { kind: "other", what: "a destructuring declaration", start: s.start, end: s.end };
    return { kind: "const", name: d.name.text, init: d.initializer ? expr(d.initializer, sf) : undefined, start: s.start, end: s.end };
  }
  if (ts.isExpressionStatement(st)) return { kind: "expr", expr: expr(st.expression, sf), start: s.start, end: s.end };
  if (ts.isReturnStatement(st))
    return { kind: "return", expr: st.expression ? expr(st.expression, sf) : undefined, start: s.start, end: s.end };
  if (ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isFunctionDeclaration(st) || ts.isEmptyStatement(st))
    return { kind: "ignored", start: s.start, end: s.end };
  return { kind: "other", what: describeKind(st), start: s.start, end: s.end };
}

function describeKind(n: TS.Node): string {
  const k = ts.SyntaxKind;
  switch (n.kind) {
    case k.ConditionalExpression:
      return "a conditional expression";
    case k.BinaryExpression:
      return "an operator expression";
    case k.ForStatement:
    case k.ForOfStatement:
    case k.ForInStatement:
    case k.WhileStatement:
    case k.DoStatement:
      return "a loop";
    case k.IfStatement:
      return "an if statement";
    case k.SwitchStatement:
      return "a switch statement";
    case k.TryStatement:
      return "a try statement";
    case k.AwaitExpression:
      return "an await expression";
    case k.NewExpression:
      return "a new expression";
    case k.TaggedTemplateExpression:
      return "a tagged template";
    case k.PrefixUnaryExpression:
    case k.PostfixUnaryExpression:
      return "an operator expression";
    case k.ThisKeyword:
      return "`this`";
    default:
      return `a ${k[n.kind].replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}`;
  }
}
