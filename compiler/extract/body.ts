/**
 * @module One `workflow(name, options, body)` call, interpreted statically: the options, the input schema, and
 * the body's statements, which declare the steps; then the template is built from them (`template.ts`).
 */
import type { ToolInfo } from "../lint-target.js";
import type { TemplateData } from "../../src/model/schema.js";
import type { Expr, Module, Node } from "./syntax.js";
import type { Session } from "./session.js";
import { evaluate, describe, type Env } from "./evaluate.js";
import { inputJsonSchema } from "./zod-schema.js";
import { buildTemplate, type Locations } from "./template.js";
import { nonStatic, type BodySteps, type Value, type WorkflowDef } from "./values.js";

export interface WorkflowModel {
  readonly module: Module;
  readonly exportName: string;
  readonly call: Node;
  readonly template: TemplateData;
  readonly tools: ReadonlyMap<string, ToolInfo>;
  readonly inputs: ReadonlySet<string>;
  readonly locations: Locations;
  /** The workflow as steps that run it see it (the same object the session handed out while extracting it). */
  readonly def: WorkflowDef;
}

type Call = Extract<Expr, { kind: "call" }>;

/** Extracts one workflow; `def` (given to steps that run it, even from inside its own body) is completed on success. */
export function extractWorkflow(s: Session, m: Module, call: Call, exportName: string, def: WorkflowDef): WorkflowModel {
  const [nameArg, optionsArg, bodyArg] = call.args;
  const name = nameArg ? evaluate(s, m, nameArg, new Map(), "the name of a workflow") : undefined;
  if (name?.t !== "json" || typeof name.v !== "string" || name.v === "") {
    throw nonStatic(
      m,
      nameArg ?? call,
      "the name of a workflow",
      name ? describe(name) : "missing",
      'name the workflow with a string literal: workflow("deploy", ...)',
    );
  }
  def.name = name.v;
  const wf = `workflow "${name.v}"`;
  const options = optionsObject(s, m, optionsArg ?? call, wf);
  const str = (key: string, fallback: string): string => {
    const p = options.props.get(key);
    if (!p) return fallback;
    const v = evaluate(s, options.module, p, new Map(), `the ${key} of ${wf}`);
    if (v.t === "undefined") return fallback;
    if (v.t !== "json" || typeof v.v !== "string")
      throw nonStatic(options.module, p, `the ${key} of ${wf}`, describe(v), "write a string literal");
    return v.v;
  };
  const description = str("description", "");
  const category = str("category", "general");
  let tags: string[] = [];
  const tagsExpr = options.props.get("tags");
  if (tagsExpr) {
    const v = evaluate(s, options.module, tagsExpr, new Map(), `the tags of ${wf}`);
    if (v.t === "array" && v.items.every((i) => i.t === "json" && typeof i.v === "string"))
      tags = v.items.map((i) => (i as { v: string }).v);
    else if (v.t !== "undefined")
      throw nonStatic(options.module, tagsExpr, `the tags of ${wf}`, describe(v), "write an array of string literals");
  }
  // without input (or with input: undefined) a workflow takes no variables, and its template declares no inputs
  let inputExpr = options.props.get("input");
  if (inputExpr && evaluatesToUndefined(s, options.module, inputExpr)) inputExpr = undefined;
  const inputs = inputExpr ? inputJsonSchema(s, options.module, inputExpr, `the input schema of ${wf}`) : undefined;
  let timeoutMs: number | undefined;
  const timeoutExpr = options.props.get("timeoutMs");
  if (timeoutExpr) {
    const v = evaluate(s, options.module, timeoutExpr, new Map(), `the timeoutMs of ${wf}`);
    if (v.t === "json" && typeof v.v === "number") timeoutMs = v.v;
    else if (v.t !== "undefined")
      throw nonStatic(options.module, timeoutExpr, `the timeoutMs of ${wf}`, describe(v), "write a number of milliseconds");
  }

  const scope: BodySteps = { workflowName: name.v, steps: [] };
  const returned = runBody(s, m, bodyArg, scope, wf, call);
  const built = buildTemplate(s, m, {
    name: name.v,
    nameNode: nameArg!,
    description,
    category,
    tags,
    inputs,
    inputsNode: inputExpr,
    timeoutMs,
    timeoutNode: timeoutExpr,
    steps: scope.steps,
    outputs: returned,
    call,
  });
  const tools = def.tools;
  for (const step of scope.steps) {
    if (step.tool && !tools.has(step.tool.name)) tools.set(step.tool.name, step.tool);
    for (const [k, t] of step.sub?.tools ?? []) if (!tools.has(k)) tools.set(k, t);
    if (step.sub && !def.subWorkflows.has(step.sub.name)) def.subWorkflows.set(step.sub.name, step.sub);
  }
  def.template = built.template;
  const properties = inputs?.properties;
  const inputNames = new Set(properties && typeof properties === "object" && !Array.isArray(properties) ? Object.keys(properties) : []);
  return { module: m, exportName, call, template: built.template, tools, inputs: inputNames, locations: built.locations, def };
}

/** `input: undefined` written out: the same as no input. */
function evaluatesToUndefined(s: Session, m: Module, e: Expr): boolean {
  if (e.kind !== "ident" || e.name !== "undefined") return false;
  return evaluate(s, m, e, new Map(), "the input schema").t === "undefined";
}

function optionsObject(s: Session, m: Module, e: Expr, wf: string): { module: Module; node: Node; props: Map<string, Expr> } {
  let module = m;
  let expr = e;
  if (expr.kind === "ident") {
    const def = s.definition(m, expr.name);
    if (def.kind === "expr") ({ module, expr } = def);
  }
  if (expr.kind !== "object") throw nonStatic(m, e, `the options of ${wf}`, "not an object literal", "write { description, input } inline");
  const props = new Map<string, Expr>();
  for (const p of expr.props) {
    if (p.kind !== "prop")
      throw nonStatic(module, p, `the options of ${wf}`, p.kind === "spread" ? "a spread" : p.what, "write each option as `key: value`");
    props.set(p.key, p.value);
  }
  return { module, node: expr, props };
}

/** Runs the body's statements; returns the value of its `return` (the outputs), if any. */
function runBody(s: Session, m: Module, body: Expr | undefined, scope: BodySteps, wf: string, call: Call): Value | undefined {
  const what = `the steps of ${wf}`;
  if (body?.kind !== "arrow")
    throw nonStatic(
      m,
      body ?? call,
      what,
      body ? "not an arrow function written inline" : "missing",
      "write the body inline: ({ input, step }) => { ... }",
    );
  const env: Env = new Map();
  const param = body.params[0];
  if (param?.kind === "ident") env.set(param.name, { t: "ctx", node: param, scope });
  else if (param?.kind === "object") {
    for (const el of param.elements) {
      if (el.key === "input") env.set(el.local, { t: "input", node: param });
      else if (el.key === "step") env.set(el.local, { t: "builtin", name: "step", node: param, scope });
      else
        throw nonStatic(
          m,
          param,
          what,
          `a destructuring of "${el.key}", which the body context does not have`,
          "destructure { input, step }",
        );
    }
  } else if (param) throw nonStatic(m, param, what, param.what, "destructure { input, step }");
  if (!Array.isArray(body.body)) return evaluate(s, m, body.body as Expr, env, `the outputs of ${wf}`);
  for (const st of body.body as Extract<typeof body.body, readonly unknown[]>) {
    switch (st.kind) {
      case "const":
        if (!st.init) throw nonStatic(m, st, what, "a const without a value", "give it a value");
        env.set(st.name, evaluate(s, m, st.init, env, what));
        break;
      case "expr":
        evaluate(s, m, st.expr, env, what);
        break;
      case "return":
        return st.expr ? evaluate(s, m, st.expr, env, `the outputs of ${wf}`) : undefined;
      case "ignored":
        break;
      case "other":
        throw nonStatic(m, st, what, st.what, "declare each step with its own statement, with values known without running code");
    }
  }
  return undefined;
}
