import { inProcess } from "../../helpers/engines.js";
import { defineSubWorkflowTests } from "./suites/sub-workflows.js";

defineSubWorkflowTests(inProcess);
