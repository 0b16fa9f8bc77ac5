import { inProcess } from "../../helpers/engines.js";
import { defineFailureTests } from "./suites/failures.js";

defineFailureTests(inProcess);
