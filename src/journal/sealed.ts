/**
 * @module Journals that keep no secret in clear.
 *
 * The header leaves the secret variables out (it lists their names in `secretInputs`; `weave resume` asks for their
 * values again) and masks them in the other variables. Step results and the run's outputs are masked with the spots
 * to unmask them (`secrets`), so a resumed run gets back exactly what the tools returned (and the partial results failed
 * steps carried); error messages and skip
 * reasons are masked for good (they are only shown).
 */
import type { JournalHeader, JournalRecord, RunJournal } from "./types.js";
import type { JsonValue } from "../model/schema.js";
import { type SecretMask, unseal, type SecretSpot } from "../secrets/mask.js";
import { secretCheck } from "../secrets/secret-check.js";

/** The header's variables without the secret ones, the rest masked. */
export function sealHeader(header: JournalHeader, secretNames: readonly string[], mask: SecretMask): JournalHeader {
  if (secretNames.length === 0) return header;
  const checks: Record<string, string> = {};
  for (const name of secretNames) checks[name] = secretCheck(header.variables[name]);
  const rest: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(header.variables)) if (!secretNames.includes(name)) rest[name] = value;
  const sealed = mask.seal(rest);
  return {
    ...header,
    variables: sealed.value as Record<string, JsonValue>,
    secretInputs: [...secretNames],
    secretChecks: checks,
    ...(sealed.spots.length > 0 ? { variableSecrets: sealed.spots } : {}),
  };
}

/** The run's variables as they were, from its header and the secret inputs' values given again. */
export function unsealVariables(header: JournalHeader, secrets: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const variables = structuredClone(header.variables) as Record<string, JsonValue>;
  const unsealed = header.variableSecrets ? (unseal(variables, header.variableSecrets, secrets) as Record<string, unknown>) : variables;
  for (const name of header.secretInputs ?? []) unsealed[name] = secrets[name];
  return unsealed;
}

/** The records with their secrets put back (for folding into the state a resume starts from). */
export function unsealRecords(records: readonly JournalRecord[], secrets: Readonly<Record<string, unknown>>): JournalRecord[] {
  return records.map((record) => {
    if ((record.type === "done" || record.type === "failed") && record.secrets && record.result !== undefined) {
      return { ...record, result: unseal(structuredClone(record.result), record.secrets, secrets) };
    }
    if (record.type === "end" && record.secrets) {
      return {
        ...record,
        outputs: unseal(structuredClone(record.outputs) as JsonValue, record.secrets, secrets) as Record<string, JsonValue>,
      };
    }
    return record;
  });
}

/** `journal`, masking the secrets of every record appended to it. */
export function sealingJournal(journal: RunJournal, mask: SecretMask): RunJournal {
  if (mask.isEmpty) return journal;
  return {
    get runId() {
      return journal.runId;
    },
    get header() {
      return journal.header;
    },
    get records() {
      return journal.records;
    },
    get warnings() {
      return journal.warnings;
    },
    get location() {
      return journal.location;
    },
    append: (record) => journal.append(sealRecord(record, mask)),
    close: () => journal.close(),
  };
}

function sealRecord(record: JournalRecord, mask: SecretMask): JournalRecord {
  switch (record.type) {
    case "done": {
      if (record.result === undefined) return record;
      const json = asJson(record.result);
      if (json === undefined) return record; // not JSON: the journal refuses it with its own error
      const sealed = mask.seal(json);
      return sealed.spots.length === 0 ? record : { ...record, result: sealed.value, secrets: sealed.spots };
    }
    case "end": {
      const json = asJson(record.outputs);
      const sealed = json === undefined ? undefined : mask.seal(json);
      const error = record.error === undefined ? {} : { error: mask.text(record.error) };
      if (sealed === undefined || sealed.spots.length === 0) return { ...record, ...error };
      return { ...record, ...error, outputs: sealed.value as Record<string, JsonValue>, secrets: sealed.spots };
    }
    case "failed": {
      const error = mask.text(record.error);
      // a ToolError's partial result is JSON already (see failureResult): sealed as a done record's result is
      if (record.result === undefined) return { ...record, error };
      const sealed = mask.seal(record.result);
      return sealed.spots.length === 0 ? { ...record, error } : { ...record, error, result: sealed.value, secrets: sealed.spots };
    }
    case "skipped":
      return { ...record, reason: mask.text(record.reason) };
    default:
      return record;
  }
}

/** A fresh JSON copy (what the journal would store), or undefined when the value has no JSON form. */
function asJson(value: unknown): JsonValue | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
  } catch {
    return undefined;
  }
}

export type { SecretSpot };
