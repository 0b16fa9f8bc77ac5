import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../../src/model/schema.js";
import { SecretMask, unseal } from "../../../src/secrets/mask.js";
import { secretInputNames } from "../../../src/secrets/secret-inputs.js";
import { matchesSecretCheck, secretCheck } from "../../../src/secrets/secret-check.js";

const mask = SecretMask.of({ token: 's3cr3t/+"x', pin: 123456, short: "ab", auth: { user: "bob-the-user", key: "k-99887766" } });

describe("SecretMask.text", () => {
  it.each([
    ["plain text", 'Bearer s3cr3t/+"x', "Bearer [secret:token]"],
    ["twice, and next to another secret", 's3cr3t/+"xk-99887766 s3cr3t/+"x', "[secret:token][secret:auth.key] [secret:token]"],
    ["JSON-escaped, inside a JSON body", JSON.stringify({ t: 's3cr3t/+"x' }), '{"t":"[secret:token]"}'],
    ["URI-encoded, in a query string", `?t=${encodeURIComponent('s3cr3t/+"x')}`, "?t=[secret:token]"],
    ["a number secret inside text", "pin 123456 ok", "pin [secret:pin] ok"],
    ["a leaf of an object secret", "user bob-the-user", "user [secret:auth.user]"],
    ["a short secret is not masked inside words", "abba cab", "abba cab"],
    ["a short secret is masked as a whole value", "ab", "[secret:short]"],
    ["no secret", "nothing here", "nothing here"],
  ])("%s", (_what, input, expected) => {
    expect(mask.text(input)).toBe(expected);
  });

  it("masks nothing when it has no secrets, and ignores empty values", () => {
    expect(SecretMask.none.text("s3cr3t")).toBe("s3cr3t");
    expect(SecretMask.of({ empty: "", n: 7 }).isEmpty).toBe(true);
  });
});

describe("SecretMask.value", () => {
  it("masks strings, keys and number secrets at any depth; leaves the input as it was", () => {
    const input = {
      headers: { Authorization: 'Bearer s3cr3t/+"x' },
      list: [123456, 1, "k-99887766"],
      "by-k-99887766": true,
      when: new Date(0),
    };
    const copy = mask.value(input) as Record<string, unknown>;
    expect(copy).toEqual({
      headers: { Authorization: "Bearer [secret:token]" },
      list: ["[secret:pin]", 1, "[secret:auth.key]"],
      "by-[secret:auth.key]": true,
      when: new Date(0),
    });
    expect(input.headers.Authorization).toBe('Bearer s3cr3t/+"x');
  });

  it("never throws or recurses: a cycle, a very deep value, a throwing getter", () => {
    const cycle: Record<string, unknown> = { t: 's3cr3t/+"x' };
    cycle.self = cycle;
    let deep: unknown = 's3cr3t/+"x';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const hostile = Object.defineProperty({}, "boom", {
      enumerable: true,
      get: () => {
        throw new Error('no s3cr3t/+"x');
      },
    });
    expect(mask.value(cycle)).toEqual({ t: "[secret:token]", self: "[Circular]" });
    expect(JSON.stringify(mask.value(deep))).toContain("[too deep]");
    expect(mask.value(hostile)).toEqual({ boom: "[Unreadable: no [secret:token]]" });
  });
});

describe("seal and unseal", () => {
  const secrets = { token: 's3cr3t/+"x', pin: 123456, short: "ab", auth: { user: "bob-the-user", key: "k-99887766" } };

  it("give back exactly the value, even one that holds a marker's text of its own", () => {
    const value: JsonValue = {
      a: 'Bearer s3cr3t/+"x',
      "[secret:token]": "a key that looks like a marker",
      b: ["[secret:token]", 123456, { "x-k-99887766": "ab" }],
      url: `?t=${encodeURIComponent('s3cr3t/+"x')}`,
    };
    const sealed = mask.seal(value);
    expect(JSON.stringify(sealed.value)).not.toContain("s3cr3t");
    expect(JSON.stringify(sealed.value)).not.toContain("k-99887766");
    expect(unseal(structuredClone(sealed.value), sealed.spots, secrets)).toEqual(value);
  });

  it("a value without secrets is not copied and has no spots", () => {
    const value = { a: 1 };
    expect(mask.seal(value)).toEqual({ value, spots: [] });
  });

  it("property: unseal(seal(v)) is v, and the sealed value holds no secret", () => {
    const token = fc.string({ minLength: 4, maxLength: 12 }).filter((t) => !t.includes("[") && !t.includes("]"));
    fc.assert(
      fc.property(token, fc.jsonValue(), fc.array(fc.string(), { maxLength: 4 }), (t, base, around) => {
        const value: JsonValue = { base: base as JsonValue, text: around.join(t), [`k${t}`]: [t, around] };
        const m = SecretMask.of({ t });
        const sealed = m.seal(value);
        expect(unseal(structuredClone(sealed.value), sealed.spots, { t })).toEqual(value);
        expect(JSON.stringify(sealed.value).includes(JSON.stringify(t).slice(1, -1))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe("secret inputs", () => {
  it("are the top-level inputs marked writeOnly, themselves or inside", () => {
    const inputs = {
      type: "object",
      properties: {
        token: { type: "string", writeOnly: true },
        auth: { type: "object", properties: { key: { type: "string", writeOnly: true } } },
        repo: { type: "string", default: { writeOnly: true } },
        n: { type: "number" },
      },
    };
    expect(secretInputNames(inputs)).toEqual(["token", "auth"]);
    expect(secretInputNames(undefined)).toEqual([]);
  });

  it("a secret check tells the same value from another, and keeps neither", () => {
    const check = secretCheck("hunter2-long");
    expect(check).not.toContain("hunter2");
    expect(matchesSecretCheck(check, "hunter2-long")).toBe(true);
    expect(matchesSecretCheck(check, "hunter3-long")).toBe(false);
    expect(matchesSecretCheck("md5$1$x$y", "hunter2-long")).toBe(false);
  });
});
