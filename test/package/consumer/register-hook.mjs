// `node --import ./register-hook.mjs <script>`: records every module the script resolves (see resolve-hook.mjs).
import { register } from "node:module";

register("./resolve-hook.mjs", import.meta.url);
