/** How names, tags and descriptions become search terms. */
import { describe, expect, it } from "vitest";
import { normalizeTerm, splitWords, termsOf } from "../../../src/library/terms.js";

describe("search terms", () => {
  it.each([
    ["github_pr_workflow", ["github", "pr", "workflow"]],
    ["deployToStaging", ["deploy", "To", "Staging"]],
    ["HTTPServer kubectl-apply", ["HTTP", "Server", "kubectl", "apply"]],
    ["s3://backups, on-call!", ["s3", "backups", "on", "call"]],
    ["", []],
  ])("splitWords(%j)", (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });

  it.each([
    ["Deployments", "deploy"],
    ["deploying", "deploy"],
    ["deployed", "deploy"],
    ["backups", "backup"],
    ["dependencies", "dependency"],
    ["status", "status"],
    ["process", "process"],
    ["analysis", "analysis"],
    ["k8s", "k8s"],
    ["used", "used"],
    ["the", null],
    ["To", null],
  ])("normalizeTerm(%j) = %j", (word, term) => {
    expect(normalizeTerm(word)).toBe(term);
  });

  it("termsOf drops stop words", () => {
    expect(termsOf("Deploy the app to Kubernetes")).toEqual(["deploy", "app", "kubernete"]);
  });
});
