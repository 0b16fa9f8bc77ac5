import { describe, it, expect } from "vitest";
import { ConditionSyntaxError, parseCondition } from "../../../src/condition/index.js";
import type { ConditionNode } from "../../../src/condition/index.js";

/** A compact rendering of the tree that shows precedence and grouping: `(and (== {{a}} 1) (not {{b}}))`. */
function show(node: ConditionNode): string {
  switch (node.kind) {
    case "literal":
      return JSON.stringify(node.value);
    case "reference":
      return `{{${node.ref.text}}}`;
    case "interpolation":
      return `\`${node.parts.map((p) => (typeof p === "string" ? p : `{{${p.text}}}`)).join("")}\``;
    case "not":
      return `(not ${show(node.operand)})`;
    case "logical":
      return `(${node.op} ${node.operands.map(show).join(" ")})`;
    case "comparison":
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
  }
}

function syntaxErrorOf(source: string): ConditionSyntaxError {
  try {
    parseCondition(source);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

describe("parseCondition: structure", () => {
  it.each([
    ["{{build.success}} == False", "(== {{build.success}} false)"],
    ["{{a}} == True", "(== {{a}} true)"],
    ["{{a}} != None", "(!= {{a}} null)"],
    ["null == None", "(== null null)"],
    ["true", "true"],
    ["3", "3"],
    ["-2.5 < 1e3", "(< -2.5 1000)"],
    ["1E-2 >= 0.5e+1", "(>= 0.01 5)"],
    ["not {{a}}", "(not {{a}})"],
    ["!{{a}}", "(not {{a}})"],
    ["not not {{a}}", "(not (not {{a}}))"],
    ["not {{a}} == 1", "(not (== {{a}} 1))"],
    ["{{a}} or {{b}} and {{c}}", "(or {{a}} (and {{b}} {{c}}))"],
    ["{{a}} and {{b}} or {{c}}", "(or (and {{a}} {{b}}) {{c}})"],
    ["{{a}} && {{b}} and {{c}}", "(and {{a}} {{b}} {{c}})"],
    ["{{a}} || {{b}} or {{c}}", "(or {{a}} {{b}} {{c}})"],
    ["({{a}} or {{b}}) and {{c}}", "(and (or {{a}} {{b}}) {{c}})"],
    ["not ({{a}} or {{b}})", "(not (or {{a}} {{b}}))"],
    ["({{a}}) <= (3)", "(<= {{a}} 3)"],
    ["{{a}}>1&&{{b}}<2||!{{c}}", "(or (and (> {{a}} 1) (< {{b}} 2)) (not {{c}}))"],
    ["{{ deploy-us.items[0].id }} == 7", "(== {{deploy-us.items[0].id}} 7)"],
    ["'{{env}}-eu' == \"prod-eu\"", '(== `{{env}}-eu` "prod-eu")'],
    ['\'it\\\'s\' == "say \\"hi\\"\\n\\t\\\\"', '(== "it\'s" "say \\"hi\\"\\n\\t\\\\")'],
    ["''", '""'],
    ["\t{{a}}\n==\r\n1 ", "(== {{a}} 1)"],
  ])("%j parses as %s", (source, expected) => {
    expect(show(parseCondition(source).ast)).toBe(expected);
  });

  it("records every placeholder in source order, including those inside strings", () => {
    const compiled = parseCondition("{{b}} == '{{a}}/{{ c.d[1] }}' or not {{b}}");
    expect(compiled.references.map((r) => r.text)).toEqual(["b", "a", "c.d[1]", "b"]);
    expect(compiled.references[2]).toEqual({ text: "c.d[1]", root: "c", path: ["d", 1] });
    expect(compiled.source).toBe("{{b}} == '{{a}}/{{ c.d[1] }}' or not {{b}}");
  });

  it("gives every node its span in the source, parentheses included", () => {
    const source = "not ({{a}} < 3) and 'x' == {{b}}";
    const ast = parseCondition(source).ast;
    expect(ast.kind).toBe("logical");
    if (ast.kind !== "logical") return;
    const [left, right] = ast.operands;
    expect(source.slice(ast.start, ast.end)).toBe(source);
    expect(source.slice(left!.start, left!.end)).toBe("not ({{a}} < 3)");
    expect(left!.kind === "not" && source.slice(left!.operand.start, left!.operand.end)).toBe("({{a}} < 3)");
    expect(source.slice(right!.start, right!.end)).toBe("'x' == {{b}}");
  });

  it("treats keywords case-sensitively", () => {
    expect(syntaxErrorOf("TRUE").message).toContain('did you mean "true"?');
    expect(syntaxErrorOf("none == 1").message).toContain('did you mean "None"?');
    expect(syntaxErrorOf("{{a}} AND {{b}}").message).toContain('unexpected identifier "AND"');
  });
});

describe("parseCondition: syntax errors", () => {
  it.each([
    ["", 0, "unexpected end of condition while parsing condition. expecting a value"],
    ["   ", 3, "unexpected end of condition while parsing condition"],
    ["{{a}} ==", 8, "unexpected end of condition while parsing comparison. expecting a value at column 9"],
    ["{{a}} = 1", 6, 'unexpected "=" while parsing condition. expecting a comparison operator'],
    ["{{a}} = 1", 6, 'did you mean "=="?'],
    ["{{a}} < {{b}} < 3", 14, 'unexpected "<" while parsing comparison'],
    ["{{a}} < {{b}} < 3", 14, "comparisons cannot be chained"],
    ["{{a.__proto__}} == 1", 4, '"__proto__" is not allowed in reference "a.__proto__"'],
    ["{{a.constructor}}", 4, '"constructor" is not allowed'],
    ["{{a", 0, 'unterminated placeholder "{{a" at column 1. expecting "}}"'],
    ["{{build.success", 0, 'unterminated placeholder "{{build.success" at column 1. expecting "}}"'],
    ["'abc", 0, "unterminated string at column 1"],
    ["{{a}} == 'abc", 9, "unterminated string at column 10"],
    ["'abc\\", 0, "unterminated string at column 1"],
    ["'{{a' == 1", 1, 'unterminated placeholder "{{a" at column 2'],
    ["'a\\q'", 2, 'unexpected escape "\\q" while parsing string'],
    ["foo == 1", 0, 'unexpected identifier "foo" while parsing condition. expecting a value or "not" at column 1. did you mean "{{foo}}"?'],
    ["build.success == False", 0, 'did you mean "{{build.success}}"?'],
    ["{{a}} == bar", 9, 'unexpected identifier "bar" while parsing comparison. expecting a value at column 10. did you mean "{{bar}}"?'],
    ["(1 == 1", 7, 'unexpected end of condition while parsing parenthesized expression. expecting "and", "or" or ")" at column 8'],
    ["1 == 1)", 6, 'unexpected ")" while parsing condition. expecting "and", "or" or end of condition at column 7'],
    ["()", 1, 'unexpected ")" while parsing parenthesized expression'],
    ["{{}}", 2, 'unexpected end of reference while parsing reference "". expecting a name at column 3'],
    ["{{  }} == 1", 4, "expecting a name at column 5"],
    ["{{a[x]}}", 4, 'unexpected "x" while parsing index in reference "a[x]"'],
    ["{{ a b }}", 4, 'unexpected " " while parsing reference "a b"'],
    ["{{a}} {{b}}", 6, 'unexpected placeholder "{{b}}" while parsing condition'],
    ["{{a}} and", 9, 'unexpected end of condition while parsing "and" expression'],
    ["{{a}} ||", 8, 'unexpected end of condition while parsing "||" expression'],
    ["not", 3, 'unexpected end of condition while parsing "not" expression'],
    ["{{a}} == not {{b}}", 9, 'unexpected "not" while parsing comparison. expecting a value'],
    ["{{a}} & {{b}}", 6, 'did you mean "&&"?'],
    ["{{a}} | {{b}}", 6, 'did you mean "||"?'],
    ["3abc", 1, 'unexpected "a" while parsing number'],
    ["1.", 2, "unexpected end of condition while parsing number. expecting a digit"],
    ["1e+", 3, "while parsing number. expecting a digit"],
    ["- 1", 0, 'unexpected "-"'],
    ["{{a}} == 1 }}", 11, 'unexpected "}"'],
    ["#", 0, 'unexpected "#"'],
    [`${"(".repeat(65)}1${")".repeat(65)}`, 64, "nested too deeply"],
    [`${"not ".repeat(65)}1`, 256, "nested too deeply"],
  ])("%j fails at offset %i with %j", (source, offset, message) => {
    const error = syntaxErrorOf(source);
    expect(error.offset).toBe(offset);
    expect(error.source).toBe(source);
    expect(error.message).toContain(message);
    expect(error.message).toContain(`at column ${offset + 1}`);
    expect(error.name).toBe("ConditionSyntaxError");
  });

  it("accepts nesting up to the limit", () => {
    expect(show(parseCondition(`${"(".repeat(64)}1${")".repeat(64)}`).ast)).toBe("1");
  });
});
