/**
 * @module The JSON Schema validator the server checks a template's arguments and its own outputs with: the SDK's
 * (ajv, draft-07, formats checked), which is also what the SDK's client checks `structuredContent` with.
 */
import type { JsonSchemaValidator } from "@modelcontextprotocol/sdk/validation";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";

let shared: AjvJsonSchemaValidator | undefined;

/**
 * A validator of `schema`, compiled once. A `$schema` naming another dialect is left out: the schema is read as
 * draft-07, whose keywords most schemas keep to.
 * @throws Error when the schema does not compile
 */
export function jsonSchemaValidator(schema: Readonly<Record<string, unknown>>): JsonSchemaValidator<unknown> {
  shared ??= new AjvJsonSchemaValidator();
  const { $schema: _dialect, ...rest } = schema;
  return shared.getValidator(rest as never);
}

/** Why `schema` does not compile, or undefined when it does. */
export function schemaProblem(schema: Readonly<Record<string, unknown>>): string | undefined {
  try {
    jsonSchemaValidator(schema);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
