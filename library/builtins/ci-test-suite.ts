/** @module Built-in `ci_test_suite`: one checkout, three test suites in parallel, one commit status. */
import { z } from "zod";
import { and, eq, gt, or, workflow } from "../../dsl/index.js";
import { githubCreateCommitStatus } from "./tools/github.js";
import { prepareWorkspace, runTests } from "./tools/operations.js";

export const ciTestSuite = workflow(
  "ci_test_suite",
  {
    description: "Run the unit, integration and end-to-end test suites of a commit in parallel and report a GitHub commit status",
    category: "ci",
    tags: ["testing", "github", "parallel", "pull-request"],
    input: z.object({ repo: z.string().describe("owner/name"), sha: z.string() }),
  },
  ({ input, step }) => {
    const setup = step("setup").tool(prepareWorkspace).with({ repo: input.repo, sha: input.sha });
    const unit = step("test_unit").tool(runTests).with({ suite: "unit", workspace: setup.out.workspace });
    const integration = step("test_integration").tool(runTests).with({ suite: "integration", workspace: setup.out.workspace });
    const e2e = step("test_e2e").tool(runTests).with({ suite: "e2e", workspace: setup.out.workspace }).retry({ max: 1 });
    const summary = `unit: ${unit.out.summary}; integration: ${integration.out.summary}; e2e: ${e2e.out.summary}`;
    const status = { repo: input.repo, sha: input.sha, context: "toolweave/tests", description: summary };
    step("report_success")
      .tool(githubCreateCommitStatus)
      .with({ ...status, state: "success" })
      .when(and(eq(unit.out.failed, 0), eq(integration.out.failed, 0), eq(e2e.out.failed, 0)));
    step("report_failure")
      .tool(githubCreateCommitStatus)
      .with({ ...status, state: "failure" })
      .when(or(gt(unit.out.failed, 0), gt(integration.out.failed, 0), gt(e2e.out.failed, 0)));
    return { unit: unit.out.summary, integration: integration.out.summary, e2e: e2e.out.summary };
  },
);
