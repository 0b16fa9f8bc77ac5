// The rows of the run report's timeline: each map step followed by its items, a bounded number of them (those that
// went wrong first), and a row that counts the rest.
import { describe, expect, it } from "vitest";
import { chooseItems, layOutRows } from "../../../cli/report/gantt-rows.js";
import type { ItemTimeline, StepTimeline } from "../../../cli/report/timeline.js";

const item = (index: number, status: ItemTimeline["status"] = "completed", attempts = 1): ItemTimeline => ({
  index,
  status,
  start: index,
  end: index + 1,
  attempts: Array.from({ length: attempts }, (_, k) => ({ attempt: k + 1, start: index, end: index + 1, outcome: "completed" })),
});

const step = (id: string, index: number, start: number | undefined, extra: Partial<StepTimeline> = {}): StepTimeline => ({
  id,
  toolName: "t",
  index,
  dependsOn: [],
  status: start === undefined ? "not-reached" : "completed",
  attempts: [],
  ...(start === undefined ? {} : { start, end: start + 1 }),
  ...extra,
});

describe("chooseItems", () => {
  it.each<[string, ItemTimeline[], number, number[], number[]]>([
    ["all of them when they fit", [item(0), item(1), item(2)], 3, [0, 1, 2], []],
    ["the first by index", [item(0), item(1), item(2), item(3)], 2, [0, 1], [2, 3]],
    [
      "failed, stopped and retried ones first, in index order",
      [item(0), item(1, "failed"), item(2), item(3, "stopped"), item(4, "completed", 2)],
      3,
      [1, 3, 4],
      [0, 2],
    ],
    ["then the first others", [item(0), item(1), item(2, "failed"), item(3)], 3, [0, 1, 2], [3]],
    ["only as many that went wrong as fit", [item(0, "failed"), item(1, "failed"), item(2, "failed")], 2, [0, 1], [2]],
  ])("%s", (_, items, max, shown, hidden) => {
    const chosen = chooseItems(items, max);
    expect(chosen.shown.map((i) => i.index)).toEqual(shown);
    expect(chosen.hidden.map((i) => i.index)).toEqual(hidden);
  });
});

describe("layOutRows", () => {
  it("steps by start, each map step's items below it on slimmer rows sharing its background, then a row for the rest", () => {
    const rows = layOutRows(
      [
        step("late", 0, 50),
        step("deploy", 1, 10, { items: [item(0), item(1, "failed"), item(2)], itemCount: 5 }),
        step("never", 2, undefined),
      ],
      2,
    );
    expect(
      rows.map((r) => [r.kind, r.step.id, r.kind === "item" ? r.item.index : r.kind === "more" ? r.notStarted : "", r.y, r.height, r.odd]),
    ).toEqual([
      ["step", "deploy", "", 0, 30, false],
      ["item", "deploy", 0, 30, 20, false],
      ["item", "deploy", 1, 50, 20, false],
      ["more", "deploy", 2, 70, 20, false],
      ["step", "late", "", 90, 30, true],
      ["step", "never", "", 120, 30, false],
    ]);
    const more = rows[3]!;
    expect(more.kind === "more" && more.hidden.map((i) => i.index)).toEqual([2]);
  });

  it("no row for the rest when every item is drawn", () => {
    const rows = layOutRows([step("deploy", 0, 0, { items: [item(0)], itemCount: 1 })]);
    expect(rows.map((r) => r.kind)).toEqual(["step", "item"]);
  });
});
