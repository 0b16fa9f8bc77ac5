/**
 * Type tests: a reference or a step belongs to the workflow whose body made it (its scope `W`); using it in another
 * workflow is a compile error. Type-checked by `tsc --noEmit`, never run.
 */
import { expectTypeOf } from "vitest";
import { eq, failed, isTrue, not, succeeded, workflow, type Ref, type StepHandle, type WorkflowBodyContext } from "toolweave";
import { apply, build, deployOptions, notify, push, type DeployInput } from "./fixtures.js";

// A workflow's scope W is its name: a reference may leave its body as `Ref<T, unknown>` (W is covariant)...
function refsWidenToUnknownScope() {
  let leaked: Ref<string, unknown> | undefined;
  workflow("a", deployOptions, ({ step }) => {
    leaked = step("p").tool(push).with({ imageId: "x" }).out.ref;
    return {};
  });
  expectTypeOf(leaked).toEqualTypeOf<Ref<string, unknown> | undefined>();
}

// ...but a reference from another workflow, leaked through an outer `let`, is rejected in `.with()`.
function leakedRefInWith() {
  let leaked!: Ref<string, unknown>;
  workflow("a", deployOptions, ({ step }) => {
    leaked = step("p").tool(push).with({ imageId: "x" }).out.ref;
    return {};
  });
  workflow("b", deployOptions, ({ step }) => {
    // @ts-expect-error: Ref<string, unknown> is not a Ref<string, W> of this body
    step("n").tool(notify).with({ text: leaked });
    return {};
  });
}

// A leaked reference is rejected at any depth of the parameters.
function leakedRefNested() {
  let leaked!: Ref<string, unknown>;
  workflow("b", deployOptions, ({ step }) => {
    // @ts-expect-error: in an optional parameter
    step("n").tool(notify).with({ text: "x", channel: leaked });
    step("b")
      .tool(build)
      // @ts-expect-error: in an array, inside a nested object
      .with({ image: "app", cache: { enabled: true, paths: ["/a", leaked] }, labels: [] });
    return {};
  });
}

// A step from another workflow, leaked through an outer `let`, is rejected in `.after()`.
function leakedStepInAfter() {
  let leakedStep!: StepHandle<unknown>;
  workflow("a", deployOptions, ({ step }) => {
    leakedStep = step("p").tool(push).with({ imageId: "x" });
    return {};
  });
  workflow("b", deployOptions, ({ step }) => {
    // @ts-expect-error: StepHandle<unknown> is not a StepHandle<W> of this body
    step("n").tool(notify).with({ text: "x" }).after(leakedStep);
    return {};
  });
}

// ...and in `failed()` / `succeeded()` inside `.when()`, and in `.then()`.
function leakedStepInConditionsAndThen() {
  let leakedStep!: StepHandle<unknown>;
  workflow("b", deployOptions, ({ step }) => {
    // @ts-expect-error: failed(foreign) is a Condition<unknown>
    step("n").tool(notify).with({ text: "x" }).when(failed(leakedStep));
    step("n2")
      .tool(notify)
      .with({ text: "x" })
      // @ts-expect-error: also inside not()
      .when(not(succeeded(leakedStep)));
    // @ts-expect-error: .then() only orders this workflow's steps
    step("n3").tool(notify).with({ text: "x" }).then(leakedStep);
    return {};
  });
}

// A leaked reference is rejected in a condition and as a boolean `.when()`.
function leakedRefInConditions() {
  let leaked!: Ref<string, unknown>;
  let leakedBool!: Ref<boolean, unknown>;
  workflow("b", deployOptions, ({ step }) => {
    // @ts-expect-error: eq(foreign, ...) is a Condition<unknown>
    step("n").tool(notify).with({ text: "x" }).when(eq(leaked, "x"));
    // @ts-expect-error: isTrue(foreign)
    step("n2").tool(notify).with({ text: "x" }).when(isTrue(leaked));
    // @ts-expect-error: a foreign boolean reference
    step("n3").tool(notify).with({ text: "x" }).when(leakedBool);
    return {};
  });
}

// A nested `workflow()` call inside a body cannot use the enclosing body's references, inputs or steps. The error
// names both workflows: `Type '"outer"' is not assignable to type '"inner"'` (asserted in language-service.test.ts).
function enclosingBodyIntoNestedWorkflow() {
  workflow("outer", deployOptions, ({ input, step }) => {
    const p = step("p").tool(push).with({ imageId: input.image });
    workflow("inner", deployOptions, ({ step: innerStep }) => {
      // @ts-expect-error: the enclosing body's step output
      innerStep("a").tool(notify).with({ text: p.out.ref });
      // @ts-expect-error: the enclosing body's input
      innerStep("b").tool(notify).with({ text: input.image });
      // @ts-expect-error: the enclosing body's step in .after()
      innerStep("c").tool(notify).with({ text: "x" }).after(p);
      // @ts-expect-error: the enclosing body's step in failed()
      innerStep("d").tool(notify).with({ text: "x" }).when(failed(p));
      // @ts-expect-error: the enclosing body's boolean reference
      innerStep("e").tool(notify).with({ text: "x" }).when(p.out.ok);
      return {};
    });
    return {};
  });
}

// The other direction: the enclosing body cannot use a nested body's step either.
function nestedBodyIntoEnclosing() {
  workflow("outer", deployOptions, ({ step }) => {
    let inner!: StepHandle<unknown>;
    workflow("inner", deployOptions, ({ step: innerStep }) => {
      inner = innerStep("a").tool(notify).with({ text: "x" });
      return {};
    });
    // @ts-expect-error: a step of the nested workflow
    step("p").tool(push).with({ imageId: "x" }).after(inner);
    return {};
  });
}

// Two sibling workflows with explicitly named scopes: their W's are unrelated type parameters.
function explicitScopesAreUnrelated() {
  let fromA!: Ref<number, unknown>;
  workflow("a", deployOptions, <A>({ step }: WorkflowBodyContext<DeployInput, A>) => {
    const x = step("x").tool(apply).with({ manifest: "m", replicas: 1 });
    expectTypeOf(x.out.pods).toEqualTypeOf<Ref<number, A>>();
    fromA = x.out.pods;
    return {};
  });
  workflow("b", deployOptions, <B>({ step }: WorkflowBodyContext<DeployInput, B>) => {
    // @ts-expect-error: Ref<number, unknown> is not Ref<number, B>
    step("y").tool(apply).with({ manifest: "m", replicas: fromA });
    return {};
  });
}

// TODO(types): a foreign reference inside a template string compiles (a template literal is just `string`).
// Only the runtime catches it, when `workflow()` builds the template ("uses, in a template string in its
// parameters, a reference from workflow ..."). A tagged template could carry the scope, at some cost in syntax.
function leakedRefInTemplateStringCompiles() {
  let leaked!: Ref<string, unknown>;
  workflow("b", deployOptions, ({ step }) => {
    step("n")
      .tool(notify)
      .with({ text: `image ${leaked}` });
    return {};
  });
}

// Annotating the body with another scope (`WorkflowBodyContext<In, unknown>`, which would accept every
// `Ref<T, unknown>`) is refused: the body's context is invariant in its scope, which is the workflow's name.
function concreteScopeAnnotationRefused() {
  let leaked!: Ref<string, unknown>;
  // @ts-expect-error: WorkflowBodyContext<..., "b"> is not a WorkflowBodyContext<..., unknown>
  workflow("b", deployOptions, ({ step }: WorkflowBodyContext<DeployInput, unknown>) => {
    step("n").tool(notify).with({ text: leaked });
    return {};
  });
}

// The scope is the workflow's name, so the hover reads `Ref<string, "a">`; a name that is not a literal is `string`.
function scopeIsTheName() {
  workflow("a", deployOptions, ({ step }) => {
    expectTypeOf(step("p").tool(push).with({ imageId: "x" }).out.ref).toEqualTypeOf<Ref<string, "a">>();
    return {};
  });
  const name: string = `release_${Date.now()}`;
  workflow(name, deployOptions, ({ step }) => {
    expectTypeOf(step("p").tool(push).with({ imageId: "x" }).out.ref).toEqualTypeOf<Ref<string, string>>();
    return {};
  });
}

// TODO(types): two workflows of the same name (or both named by a non-literal string) share a scope, so a reference
// from one compiles in the other. The runtime catches it when `workflow()` builds the template ('uses {{p.ref}} in its
// parameters, but that is step "p" of workflow "a" ...'), and `weave lint` reports duplicate workflow names.
function sameNameSharesAScope() {
  let leaked!: Ref<string, "a">;
  workflow("a", deployOptions, ({ step }) => {
    leaked = step("p").tool(push).with({ imageId: "x" }).out.ref;
    return {};
  });
  workflow("a", deployOptions, ({ step }) => {
    step("n").tool(notify).with({ text: leaked });
    return {};
  });
}
