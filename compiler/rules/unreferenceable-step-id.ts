/**
 * @module Rule `unreferenceable-step-id` (warning): a step id that a placeholder cannot name. Placeholders read a
 * step's result by its id (`{{build.imageId}}`), and their grammar (src/placeholder/path.ts) takes names of ASCII
 * letters, digits, `_`, `$` and `-`, not starting with a digit or `-`, and never `__proto__`, `constructor` or
 * `prototype`. A step with any other id (`"my step"`, `"1build"`, `"ünïcode"`) runs, but no later step, condition or
 * output can read what it returned; `"a.b"` is worse: `{{a.b}}` parses, as field `b` of something named `a`. Such ids
 * stay valid (templates of the original system use them, and a step nothing reads loses nothing), so this is a
 * warning, reported always: a step nothing can reference is a trap for whoever adds the first reference. The message
 * suggests an id derived from this one that no other step has.
 */
import { referenceableName, unreferenceableReason } from "../../src/placeholder/path.js";
import { defineRule } from "./rule.js";

/** `a space`, or the character in quotes, with its code point when it is not printable ASCII. */
function describeCharacter(character: string): string {
  if (character === " ") return "a space";
  const code = character.codePointAt(0)!;
  const quoted = JSON.stringify(character);
  return code > 0x20 && code < 0x7f ? quoted : `${quoted} (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
}

const CANNOT_READ = "no later step, condition or output can read this step's result";

export default defineRule({
  id: "unreferenceable-step-id",
  severity: "warning",
  docs: {
    description: "Report a step id that no placeholder can name, so nothing can read the step's result",
    bad: `{
  "name": "deploy",
  "steps": [
    { "id": "docker build", "toolName": "docker_build" },
    { "id": "push", "toolName": "docker_push", "dependsOn": ["docker build"] }
  ]
}`,
    good: `{
  "name": "deploy",
  "steps": [
    { "id": "docker_build", "toolName": "docker_build" },
    { "id": "push", "toolName": "docker_push", "parameters": { "image": "{{docker_build.imageId}}" }, "dependsOn": ["docker_build"] }
  ]
}`,
  },
  messages: {
    character: `step id "{{step}}" cannot be named in a placeholder: it contains {{character}}, and placeholder names have only ASCII letters, digits, "_", "$" and "-", so ${CANNOT_READ}. rename it, e.g. to "{{suggestion}}"`,
    start: `step id "{{step}}" cannot be named in a placeholder: it starts with "{{character}}", and placeholder names start with a letter, "_" or "$", so ${CANNOT_READ}. rename it, e.g. to "{{suggestion}}"`,
    path: `step id "{{step}}" cannot be named in a placeholder: "{{placeholder}}" would read into "{{root}}" (a "{{character}}" in a placeholder starts a path), so ${CANNOT_READ}. rename it, e.g. to "{{suggestion}}"`,
    forbidden: `step id "{{step}}" cannot be named in a placeholder: placeholders refuse "{{step}}", which would reach an object's prototype, so ${CANNOT_READ}. rename it, e.g. to "{{suggestion}}"`,
  },
  create(context) {
    /** A suggestion no step has: `my_step`, else `my_step_2`, ... */
    const suggest = (id: string): string => {
      const base = referenceableName(id);
      let name = base;
      for (let n = 2; context.stepById.has(name); n++) name = `${base}_${n}`;
      return name;
    };
    return {
      step(step) {
        const reason = unreferenceableReason(step.id);
        if (reason === undefined || reason.kind === "empty") return;
        const base = { path: ["steps", step.index, "id"], stepId: step.id };
        const data = { step: step.id, suggestion: suggest(step.id) };
        if (reason.kind === "forbidden") context.report({ ...base, messageId: "forbidden", data });
        else if (reason.kind === "start") context.report({ ...base, messageId: "start", data: { ...data, character: reason.character } });
        else if (reason.kind === "path")
          context.report({
            ...base,
            messageId: "path",
            data: { ...data, placeholder: `{{${step.id}}}`, root: reason.root, character: reason.character },
          });
        else context.report({ ...base, messageId: "character", data: { ...data, character: describeCharacter(reason.character) } });
      },
    };
  },
});
