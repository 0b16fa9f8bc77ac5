import { EXIT } from "../exit-codes.js";

/** @returns a function that removes the handler */
export function cancelOnInterrupt(controller: AbortController, notice: (text: string) => void): () => void {
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    notice("interrupted: cancelling the run. press Ctrl-C again to exit at once");
    controller.abort(new Error("interrupted (SIGINT)"));
  };
  process.on("SIGINT", onSigint);
  return () => void process.removeListener("SIGINT", onSigint);
}
