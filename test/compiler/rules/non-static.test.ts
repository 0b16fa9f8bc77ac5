import { describe, expect, it } from "vitest";
import { formatMessage } from "../../../compiler/lint-engine.js";
import nonStatic from "../../../compiler/rules/non-static.js";
import { runRule } from "./run-rule.js";

// Reported by the TypeScript extractor, which sees the source; the rule itself only documents it.
runRule("non-static", {
  valid: ['{"name": "w", "steps": [{"id": "a", "toolName": "t"}]}'],
  invalid: [],
});

describe("non-static", () => {
  it("adds no hooks", () => {
    expect(nonStatic.create({} as never)).toEqual({});
  });
  it("has the message the extractor reports (messageId nonStatic)", () => {
    expect(formatMessage(nonStatic.messages.nonStatic, { what: "the step id `deploy_${r}`", hint: "use a string literal" })).toBe(
      "the step id `deploy_${r}` cannot be determined without running code. use a string literal",
    );
  });
});
