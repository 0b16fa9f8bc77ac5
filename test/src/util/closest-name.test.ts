import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../../src/util/closest-name.js";

describe("editDistance", () => {
  it.each([
    ["release", "release", 0],
    ["relase", "release", 1],
    ["relaese", "release", 1],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ])("%s → %s is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("closest", () => {
  it("suggests a near name, ignoring case, and nothing for a far one", () => {
    expect(closest("relase", ["build_image", "release"])).toBe("release");
    expect(closest("RELEASE", ["build_image", "release"])).toBe("release");
    expect(closest("deploy", ["build_image", "release"])).toBeUndefined();
  });
});
