import { inProcess } from "../../helpers/engines.js";
import { defineGuideExampleTests } from "./suites/guide-examples.js";

defineGuideExampleTests(inProcess);
