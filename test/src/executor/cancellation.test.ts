import { inProcess } from "../../helpers/engines.js";
import { defineCancellationTests } from "./suites/cancellation.js";

defineCancellationTests(inProcess);
