/**
 * Writes schema/template.schema.json from the zod template schema, so editors can validate hand-written templates.
 * `--check` fails (exit 1) when the shipped file is not what the schema generates, instead of writing it.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { templateJsonSchema } from "../src/model/json-schema.js";
import { writeFileAtomic } from "../src/util/atomic-write.js";

const target = fileURLToPath(new URL("../schema/template.schema.json", import.meta.url));
const expected = `${JSON.stringify(templateJsonSchema(), null, 2)}\n`;

if (process.argv.includes("--check")) {
  const actual = await readFile(target, "utf8").catch(() => "");
  if (actual !== expected) {
    console.error(`schema/template.schema.json is out of date with src/model/schema.ts. run: npm run generate:schema`);
    process.exit(1);
  }
  console.log("schema/template.schema.json is current");
} else {
  await writeFileAtomic(target, expected);
  console.log(`wrote ${target}`);
}
