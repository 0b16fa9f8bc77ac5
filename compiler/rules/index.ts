/** @module Every lint rule, registered once. A meta-test checks that each file of this folder is listed here. */
import conditionScope from "./condition-scope.js";
import cycle from "./cycle.js";
import duplicateStep from "./duplicate-step.js";
import failedStepResult from "./failed-step-result.js";
import hiddenDependency from "./hidden-dependency.js";
import implicitDependency from "./implicit-dependency.js";
import invalidCondition from "./invalid-condition.js";
import invalidSuppression from "./invalid-suppression.js";
import invalidTemplate from "./invalid-template.js";
import lookalikePlaceholder from "./lookalike-placeholder.js";
import nonStatic from "./non-static.js";
import recursiveWorkflow from "./recursive-workflow.js";
import retryDestructive from "./retry-destructive.js";
import selfDependency from "./self-dependency.js";
import unknownDependency from "./unknown-dependency.js";
import unknownField from "./unknown-field.js";
import unknownReference from "./unknown-reference.js";
import unknownTool from "./unknown-tool.js";
import unnecessarySerialization from "./unnecessary-serialization.js";
import unreferenceableStepId from "./unreferenceable-step-id.js";
import type { Rule } from "./rule.js";

export const rules: readonly Rule[] = [
  invalidTemplate,
  duplicateStep,
  unknownDependency,
  selfDependency,
  cycle,
  unknownReference,
  unknownField,
  hiddenDependency,
  implicitDependency,
  unknownTool,
  invalidCondition,
  conditionScope,
  failedStepResult,
  retryDestructive,
  lookalikePlaceholder,
  unnecessarySerialization,
  unreferenceableStepId,
  recursiveWorkflow,
  nonStatic,
  invalidSuppression,
];
