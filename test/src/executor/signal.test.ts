import { inProcess } from "../../helpers/engines.js";
import { defineSignalTests } from "./suites/signal.js";

defineSignalTests(inProcess);
