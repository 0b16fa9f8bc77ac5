// The DSL's map steps: `step(id).forEach(list).tool(t).with((item, index) => ...)` builds the template's forEach step.
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { eq, tool, workflow, WorkflowDefinitionError } from "toolweave";

const listRegions = tool("list_regions", {
  input: z.object({}),
  output: z.object({ regions: z.array(z.object({ name: z.string(), enabled: z.boolean() })) }),
  run: () => ({
    regions: [
      { name: "eu", enabled: true },
      { name: "us", enabled: false },
      { name: "ap", enabled: true },
    ],
  }),
});
const deployRegion = tool("deploy_region", {
  input: z.object({ region: z.string(), slot: z.number() }),
  output: z.object({ url: z.string() }),
  run: async ({ region, slot }) => ({ url: `https://${region}.example/${slot}` }),
});
const count = tool("count", {
  input: z.object({ urls: z.array(z.object({ url: z.string() }).nullable()) }),
  output: z.object({ n: z.number() }),
  run: ({ urls }) => ({ n: urls.filter((u) => u !== null).length }),
});

describe("DSL map steps", () => {
  const multi = workflow("multi", {}, ({ step }) => {
    const list = step("list").tool(listRegions).with({});
    const deploy = step("deploy")
      .forEach(list.out.regions, { as: "region", concurrency: 2 })
      .tool(deployRegion)
      .with((region, index) => ({ region: region.name, slot: index }))
      .when((region) => eq(region.enabled, true));
    const sum = step("sum").tool(count).with({ urls: deploy.out });
    return { urls: deploy.out, n: sum.out.n, first: deploy.out[0].url };
  });

  it("builds the forEach step, with the list's step as a dependency", () => {
    expect(multi.template.toJSON().steps.find((s) => s.id === "deploy")).toMatchObject({
      forEach: "{{list.regions}}",
      as: "region",
      concurrency: 2,
      parameters: { region: "{{region.name}}", slot: "{{index}}" },
      condition: "{{region.enabled}} == true",
      dependsOn: ["list"],
    });
  });

  it("runs it: the items' results in item order, null where the item's condition is false, typed outputs", async () => {
    const result = await multi.run();
    expect(result.status).toBe("completed");
    expect(result.outputs).toEqual({
      urls: [{ url: "https://eu.example/0" }, null, { url: "https://ap.example/2" }],
      n: 2,
      first: "https://eu.example/0",
    });
  });

  it("maps over an input list with the default item name", async () => {
    const greet = workflow("greet", { input: z.object({ people: z.array(z.string()) }) }, ({ input, step }) => {
      const hello = step("hello")
        .forEach(input.people)
        .tool(tool("echo", { input: z.object({ text: z.string() }), output: z.string(), run: ({ text }) => text }))
        .with((person) => ({ text: `hi ${person}` }));
      return { all: hello.out };
    });
    expect(greet.template.toJSON().steps[0]).toMatchObject({ forEach: "{{people}}", parameters: { text: "hi {{item}}" }, dependsOn: [] });
    expect((await greet.run({ people: ["ada", "alan"] })).outputs).toEqual({ all: ["hi ada", "hi alan"] });
  });

  it.each([
    {
      name: "an item used by another step",
      body: (step: Parameters<Parameters<typeof workflow>[2]>[0]["step"]) => {
        const list = step("list").tool(listRegions).with({});
        let leaked: unknown;
        step("deploy")
          .forEach(list.out.regions)
          .tool(deployRegion)
          .with((region, index) => {
            leaked = region.name;
            return { region: region.name, slot: index };
          });
        step("other")
          .tool(deployRegion)
          .with({ region: leaked as string, slot: 1 });
      },
      says: /step "other" .* uses \{\{item\.name\}\} in its parameters, but that is an item of map step "deploy" .*read the map step's result instead \(deploy\.out/,
    },
    {
      name: "a list that is not a reference",
      body: (step: Parameters<Parameters<typeof workflow>[2]>[0]["step"]) => {
        step("deploy").forEach(["eu"] as never);
      },
      says: /step "deploy" .*\.forEach\(\) takes a reference to a list/,
    },
    {
      name: "an item named index",
      body: (step: Parameters<Parameters<typeof workflow>[2]>[0]["step"]) => {
        const list = step("list").tool(listRegions).with({});
        step("deploy").forEach(list.out.regions, { as: "index" });
      },
      says: /\.forEach\(list, \{ as \}\) must be a name \(letters, digits, _ or -, not "index"\), got "index"/,
    },
    {
      name: "a concurrency of 0",
      body: (step: Parameters<Parameters<typeof workflow>[2]>[0]["step"]) => {
        const list = step("list").tool(listRegions).with({});
        step("deploy").forEach(list.out.regions, { concurrency: 0 });
      },
      says: /\.forEach\(list, \{ concurrency \}\) must be a whole number of 1 or more, got 0/,
    },
    {
      name: "a function of the item on a step that is not a map step",
      body: (step: Parameters<Parameters<typeof workflow>[2]>[0]["step"]) => {
        step("deploy")
          .tool(deployRegion)
          .with((() => ({ region: "eu", slot: 1 })) as never);
      },
      says: /\.with\(\) takes a function of the item only on a map step/,
    },
  ])("refuses $name, saying where", ({ body, says }) => {
    expect(() =>
      workflow("bad", {}, ({ step }) => {
        body(step as never);
        return {};
      }),
    ).toThrow(WorkflowDefinitionError);
    expect(() =>
      workflow("bad", {}, ({ step }) => {
        body(step as never);
        return {};
      }),
    ).toThrow(says);
  });
});
