import { inProcess } from "../../helpers/engines.js";
import { defineSchedulingTests } from "./suites/scheduling.js";

defineSchedulingTests(inProcess);
