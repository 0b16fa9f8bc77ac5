// File-system helpers of the publish test: is dist/ newer than the sources, what a directory holds (to prove a
// command wrote nothing), and making an installed package read-only and writable again.
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** The newest modification time under `entries` (files or directories, relative to `root`), and its file. */
export function newestSource(root: string, entries: readonly string[]): { file: string; mtimeMs: number } {
  let newest = { file: "", mtimeMs: -1 };
  const consider = (file: string): void => {
    const mtimeMs = statSync(file).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  for (const entry of entries) {
    const full = path.join(root, entry);
    if (!existsSync(full)) continue;
    consider(full);
    if (!statSync(full).isDirectory()) continue;
    for (const child of readdirSync(full, { recursive: true, withFileTypes: true })) consider(path.join(child.parentPath, child.name));
  }
  return newest;
}

/**
 * Every file and directory under `dir` (relative paths, sorted) with its type, size and modification time: two
 * listings are equal when nothing under `dir` was created, removed or written to between them.
 */
export function listing(dir: string): string[] {
  const lines: string[] = [];
  const visit = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const stat = lstatSync(full);
      const kind = stat.isDirectory() ? "dir" : stat.isSymbolicLink() ? "link" : "file";
      lines.push(`${path.relative(dir, full)}\t${kind}\t${stat.isDirectory() ? "-" : stat.size}\t${stat.mtimeMs}`);
      if (stat.isDirectory()) visit(full);
    }
  };
  const stat = lstatSync(dir);
  lines.push(`.\tdir\t-\t${stat.mtimeMs}`);
  visit(dir);
  return lines.sort();
}

/** `chmod -R a-w` (`writable: false`) or `u+w` (`writable: true`): directories after their contents when removing. */
export function setWritable(dir: string, writable: boolean): void {
  const apply = (file: string): void => {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) return;
    chmodSync(file, writable ? stat.mode | 0o200 : stat.mode & ~0o222);
  };
  const visit = (current: string): void => {
    if (writable) apply(current);
    if (lstatSync(current).isDirectory()) for (const entry of readdirSync(current)) visit(path.join(current, entry));
    if (!writable) apply(current);
  };
  visit(dir);
}

/**
 * The module specifiers a JavaScript module imports (static imports, re-exports, `import()` of a string literal),
 * read with TypeScript's parser: text that merely looks like an import (in a string, a comment) is not one.
 */
export function moduleImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
