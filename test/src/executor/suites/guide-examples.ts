/** The examples of the original user guide (SEED-GUIDE.md), run as written, with the behaviour the guide documents. */
import { afterEach, describe, expect, it } from "vitest";
import { WorkflowContext, WorkflowStep, WorkflowTemplate, type ExecutionEvent } from "toolweave";
import { analyzeTemplate } from "../../../../src/model/analyze.js";
import type { Engine } from "../../../helpers/engines.js";
import { gate } from "../../../helpers/tools.js";

export function defineGuideExampleTests(engine: Engine): void {
  afterEach(() => engine.cleanup());

  describe("guide examples", () => {
    it("deploy_to_staging: a linear chain runs in order", async () => {
      const order: string[] = [];
      const tools = Object.fromEntries(["docker_build", "docker_push", "kubectl_apply"].map((t) => [t, async () => void order.push(t)]));
      const workflow = WorkflowTemplate.fromJSON({
        name: "deploy_to_staging",
        description: "Deploy application to staging environment",
        steps: [
          { id: "build", tool_name: "docker_build", parameters: { image: "myapp:latest" } },
          { id: "push", tool_name: "docker_push", parameters: { image: "myapp:latest" }, depends_on: ["build"] },
          { id: "deploy", tool_name: "kubectl_apply", parameters: { manifest: "staging.yaml" }, depends_on: ["push"] },
        ],
      });
      const result = await engine.executor({ tools }).execute(workflow, new WorkflowContext());
      expect(result.status).toBe("completed");
      expect(order).toEqual(["docker_build", "docker_push", "kubectl_apply"]);
    });

    it("deploy_multi_region: the three regional deploys run in parallel after build", async () => {
      const g = gate();
      const workflow = new WorkflowTemplate({
        name: "deploy_multi_region",
        description: "Deploy to multiple regions in parallel",
        steps: [
          new WorkflowStep({ id: "build", toolName: "docker_build", parameters: { image: "myapp:latest" } }),
          ...["us-east-1", "eu-west-1", "ap-southeast-1"].map(
            (region, i) =>
              new WorkflowStep({
                id: ["deploy_us", "deploy_eu", "deploy_asia"][i]!,
                toolName: "kubectl_apply",
                parameters: { region },
                dependsOn: ["build"],
              }),
          ),
        ],
      });
      const finished = new Map<string, () => void>();
      const onEvent = (e: ExecutionEvent) => void (e.type === "step_finished" && finished.get(e.stepId)?.());
      const running = engine
        .executor({ tools: { docker_build: g.tool, kubectl_apply: g.tool } })
        .execute(workflow, undefined, undefined, { onEvent });
      await g.started("build");
      g.release("build");
      for (const id of ["deploy_us", "deploy_eu", "deploy_asia"]) await g.started(id);
      expect([...g.waiting].sort()).toEqual(["deploy_asia", "deploy_eu", "deploy_us"]);
      // finished in the order released (one at a time: outcomes that cross a queue together may arrive in any order)
      for (const id of ["deploy_eu", "deploy_asia", "deploy_us"]) {
        const done = new Promise<void>((resolve) => finished.set(id, resolve));
        g.release(id);
        await done;
      }
      const result = await running;
      expect(result.completedSteps.map((s) => s.id)).toEqual(["build", "deploy_eu", "deploy_asia", "deploy_us"]);
    });

    it("github_pr_workflow: step results flow into later parameters, and the context holds them afterwards", async () => {
      const calls: Record<string, unknown> = {};
      const tools = {
        github_list_issues: (p: Record<string, unknown>) => ((calls.list = p), { issue_id: 42, issue_description: "Crash on empty input" }),
        github_create_pr: (p: Record<string, unknown>) => ((calls.pr = p), { pr_url: "https://github.com/myorg/myrepo/pull/7" }),
        slack_send_message: (p: Record<string, unknown>) => ((calls.slack = p), { ok: true }),
      };
      const workflow = new WorkflowTemplate({
        name: "github_pr_workflow",
        description: "Create PR and notify team",
        steps: [
          { id: "list_issues", toolName: "github_list_issues", parameters: { repo: "{{repo}}", state: "open" } },
          {
            id: "create_pr",
            toolName: "github_create_pr",
            parameters: { repo: "{{repo}}", title: "Fix issue {{list_issues.issue_id}}", body: "{{list_issues.issue_description}}" },
            dependsOn: ["list_issues"],
          },
          {
            id: "notify",
            toolName: "slack_send_message",
            parameters: { channel: "{{slack_channel}}", message: "PR created: {{create_pr.pr_url}}" },
            dependsOn: ["create_pr"],
          },
        ],
      });
      const context = new WorkflowContext({ repo: "myorg/myrepo", slack_channel: "#deployments" });
      const result = await engine.executor().execute(workflow, context, tools);
      expect(result.status).toBe("completed");
      expect(result.completedSteps).toHaveLength(3);
      expect(calls).toEqual({
        list: { repo: "myorg/myrepo", state: "open" },
        pr: { repo: "myorg/myrepo", title: "Fix issue 42", body: "Crash on empty input" },
        slack: { channel: "#deployments", message: "PR created: https://github.com/myorg/myrepo/pull/7" },
      });
      expect(context.getResult("create_pr", "pr_url")).toBe("https://github.com/myorg/myrepo/pull/7");
    });

    it("notify_on_failure: runs only when build failed", async () => {
      const steps = (buildOk: boolean) => ({
        tools: {
          docker_build: () => {
            if (!buildOk) throw new Error("compile error");
            return { image_id: "sha256:1" };
          },
          slack_send_message: (p: Record<string, unknown>) => p,
        },
        workflow: new WorkflowTemplate({
          name: "build_and_alert",
          steps: [
            { id: "build", toolName: "docker_build" },
            {
              id: "notify_on_failure",
              toolName: "slack_send_message",
              parameters: { channel: "alerts", message: "Build failed!" },
              dependsOn: ["build"],
              condition: "{{build.success}} == False",
            },
          ],
        }),
      });
      const failing = steps(false);
      const a = await engine.executor({ tools: failing.tools }).execute(failing.workflow);
      expect(a.completedSteps.map((s) => s.id)).toEqual(["notify_on_failure"]);
      const passing = steps(true);
      const b = await engine.executor({ tools: passing.tools }).execute(passing.workflow);
      expect(b.completedSteps.map((s) => s.id)).toEqual(["build"]);
      expect(b.skippedSteps.map((s) => s.id)).toEqual(["notify_on_failure"]);
    });

    it("best practice 5: parallel tests after setup, report after all", async () => {
      const g = gate();
      const workflow = new WorkflowTemplate({
        name: "tests",
        steps: [
          { id: "setup", toolName: "t" },
          { id: "test_unit", toolName: "t", dependsOn: ["setup"] },
          { id: "test_integration", toolName: "t", dependsOn: ["setup"] },
          { id: "test_e2e", toolName: "t", dependsOn: ["setup"] },
          { id: "report", toolName: "t", dependsOn: ["test_unit", "test_integration", "test_e2e"] },
        ],
      });
      const running = engine.executor({ tools: { t: g.tool } }).execute(workflow);
      await g.started("setup");
      g.release("setup");
      for (const id of ["test_unit", "test_integration", "test_e2e"]) await g.started(id);
      expect([...g.waiting].sort()).toEqual(["test_e2e", "test_integration", "test_unit"]);
      g.release("test_unit");
      g.release("test_e2e");
      g.release("test_integration");
      await g.started("report");
      g.release("report");
      expect((await running).status).toBe("completed");
    });

    it("parses a template once, however often it runs", async () => {
      const workflow = new WorkflowTemplate({ name: "w", steps: [{ id: "a", toolName: "t", parameters: { x: "{{x}}" } }] });
      const first = analyzeTemplate(workflow);
      const executor = engine.executor({ tools: { t: (p) => p } });
      for (const x of [1, 2, 3]) {
        const context = new WorkflowContext({ x });
        await executor.execute(workflow, context);
        expect(context.getResult("a")).toEqual({ x });
      }
      expect(analyzeTemplate(workflow)).toBe(first);
    });
  });
}
