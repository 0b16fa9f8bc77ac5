// Tools of bench:distributed: `sleep` waits `ms` (a tool that waits on I/O), aborted by its signal.
export default {
  sleep: ({ ms, i }, ctx) =>
    new Promise((resolve, reject) => {
      const onAbort = () => (clearTimeout(timer), reject(ctx.signal.reason));
      const timer = setTimeout(() => (ctx.signal.removeEventListener("abort", onAbort), resolve({ i })), ms);
      ctx.signal.addEventListener("abort", onAbort, { once: true });
    }),
};
