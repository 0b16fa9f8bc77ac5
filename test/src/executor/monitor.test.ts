import { inProcess } from "../../helpers/engines.js";
import { defineMonitorTests } from "./suites/monitor.js";

defineMonitorTests(inProcess);
