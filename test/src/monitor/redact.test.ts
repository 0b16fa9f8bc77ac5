import { describe, expect, it } from "vitest";
import { redact } from "../../../src/monitor/index.js";

describe("redact", () => {
  it("replaces matching keys at any depth, case-insensitively", () => {
    expect(redact({ db: { Password: "x", host: "h" } }, ["password"])).toEqual({
      db: { Password: "[REDACTED]", host: "h" },
    });
    expect(redact({ apiKey: "k", nested: { APIKEY: "k2" } }, ["ApiKey"])).toEqual({
      apiKey: "[REDACTED]",
      nested: { APIKEY: "[REDACTED]" },
    });
  });

  it("walks arrays, including arrays of arrays", () => {
    const input = { users: [{ name: "a", token: "t1" }, [{ token: "t2" }]], token: ["t3"] };
    expect(redact(input, ["token"])).toEqual({
      users: [{ name: "a", token: "[REDACTED]" }, [{ token: "[REDACTED]" }]],
      token: "[REDACTED]",
    });
  });

  it("redacts a matching key whatever its value is", () => {
    expect(redact({ secret: { deep: 1 }, other: null }, ["secret"])).toEqual({ secret: "[REDACTED]", other: null });
  });

  it("never mutates its input and returns a copy", () => {
    const input = { a: { password: "p", list: [{ password: "q" }] } };
    const before = structuredClone(input);
    const out = redact(input, ["password"]) as typeof input;
    expect(input).toEqual(before);
    expect(out).not.toBe(input);
    expect(out.a).not.toBe(input.a);
    expect(out.a.list).not.toBe(input.a.list);

    const untouched = redact(input, []);
    expect(untouched).toEqual(input);
    expect(untouched).not.toBe(input);
  });

  it("turns cycles into [Circular] but copies shared references twice", () => {
    const cyclic: Record<string, unknown> = { name: "root", password: "p" };
    cyclic.self = cyclic;
    cyclic.children = [{ parent: cyclic }];
    expect(redact(cyclic, ["password"])).toEqual({
      name: "root",
      password: "[REDACTED]",
      self: "[Circular]",
      children: [{ parent: "[Circular]" }],
    });

    const shared = { v: 1 };
    expect(redact({ a: shared, b: [shared] }, [])).toEqual({ a: { v: 1 }, b: [{ v: 1 }] });
  });

  it("returns primitives unchanged", () => {
    for (const value of [undefined, null, 0, "s", true, 10n]) expect(redact(value, ["x"])).toBe(value);
  });

  it("keeps toJSON values such as Date as they are", () => {
    const when = new Date(0);
    const out = redact({ when }, ["password"]) as { when: Date };
    expect(out.when).toBe(when);
  });

  it("keeps a __proto__ key as data instead of changing the prototype", () => {
    const input = JSON.parse('{"__proto__": {"password": "p"}}') as object;
    const out = redact(input, ["password"]) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ password: "[REDACTED]" });
  });
});
