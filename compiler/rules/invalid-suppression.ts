/**
 * @module Rule `invalid-suppression` (warning): a suppression that does not do what its author meant. It names no
 * rule or a rule that does not exist, gives no reason (a suppression must say why the finding does not apply, so it
 * suppresses nothing without one), or suppresses nothing (the finding is gone, like eslint's unused disable
 * directives). Reported by `compiler/suppressions.ts`, which reads the suppressions after every other finding is
 * known; registered here so `--explain` and rule settings know it. Its `create` adds no hooks.
 */
import { defineRule } from "./rule.js";

export default defineRule({
  id: "invalid-suppression",
  severity: "warning",
  docs: {
    description: "Require each suppression to name a rule, give a reason, and suppress a finding",
    bad: `// weave-ignore unnecessary-serialization
    (a comment in a .ts file, on the line before the finding: no reason, so it suppresses nothing)
"lint": { "ignore": { "unnecesary-serialization": "the smoke test gates the publish" } }
    (a step of a JSON template: no such rule)`,
    good: `// weave-ignore unnecessary-serialization: the e2e suite needs the database the integration suite migrates
"lint": { "ignore": { "unnecessary-serialization": "the smoke test gates the publish" } }`,
  },
  messages: {
    noRule: '"weave-ignore" names no rule. write the rule and why its finding does not apply: // weave-ignore <rule-id>: <reason>',
    noReason: 'the suppression of "{{rule}}" gives no reason, so it suppresses nothing. {{how}}',
    unknownRule: 'the suppression names "{{rule}}", which is not a rule. {{choices}}',
    unused: 'the suppression of "{{rule}}" suppresses nothing: no "{{rule}}" finding is reported {{where}}. remove it',
  },
  create() {
    return {};
  },
});
