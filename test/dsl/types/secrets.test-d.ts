/**
 * Type tests: `secret()` marks an input secret without changing its type: the reference to it is typed as before,
 * and a secret string still cannot go where a number is expected. Type-checked by `tsc --noEmit`, never run.
 */
import { z } from "zod";
import { expectTypeOf } from "vitest";
import { secret, tool, workflow, type Ref } from "toolweave";

const login = tool("login", { input: z.object({ token: z.string(), retries: z.number() }), output: z.object({ session: z.string() }) });

// the schema's type is unchanged
expectTypeOf(secret(z.string())).toEqualTypeOf<z.ZodString>();
expectTypeOf<z.input<ReturnType<typeof secret<z.ZodOptional<z.ZodNumber>>>>>().toEqualTypeOf<number | undefined>();

function secretInputsAreTypedReferences() {
  workflow("w", { description: "d", input: z.object({ token: secret(z.string()), n: secret(z.number()) }) }, ({ input, step }) => {
    expectTypeOf(input.token).toMatchTypeOf<Ref<string, unknown>>();
    step("a").tool(login).with({ token: input.token, retries: input.n });
    // @ts-expect-error a secret string is still a string: not a number
    step("b").tool(login).with({ token: input.token, retries: input.token });
    return {};
  });
}
void secretInputsAreTypedReferences;
