import type { Tools } from "../../src/index.js";
declare const tools: Tools;
export default tools;
