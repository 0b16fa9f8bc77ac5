import { inProcess } from "../../helpers/engines.js";
import { defineToolErrorTests } from "./suites/tool-errors.js";

defineToolErrorTests(inProcess);
