/**
 * @module Telling, on resume, whether a secret is the one the run started with, without keeping it.
 *
 * The journal's results were made with the secrets the run started with (a session opened with a token, a URL that
 * carries it): resuming with another value would mix the two silently. The header keeps, per secret input, a salted
 * scrypt hash of its value: slow on purpose, so the journal is no shortcut to guessing a weak secret.
 */
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "../util/canonical-json.js";

const N = 1 << 14;
const KEY_LENGTH = 32;

/** `scrypt$<N>$<salt>$<hash>` (base64url) of the value's canonical JSON. */
export function secretCheck(value: unknown): string {
  const salt = randomBytes(16);
  const hash = scryptSync(canonicalJson(value), salt, KEY_LENGTH, { N });
  return `scrypt$${N}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

/** Whether `value` is the one `check` was made from (a check this version cannot read: no). */
export function matchesSecretCheck(check: string, value: unknown): boolean {
  const [kind, cost, salt, hash] = check.split("$");
  const n = Number(cost);
  if (kind !== "scrypt" || !Number.isInteger(n) || n < 2 || n > 1 << 20 || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(canonicalJson(value), Buffer.from(salt, "base64url"), expected.length, {
    N: n,
    maxmem: 256 * n * 8 + 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
