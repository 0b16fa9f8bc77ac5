/**
 * @module stdout for the MCP protocol alone. A line a tool prints (`console.log`, `process.stdout.write`) would be
 * read by the client as a broken protocol message, so once the server has claimed stdout, everything else written
 * to `process.stdout` goes to stderr.
 */
import { Writable } from "node:stream";

/** @returns the stream the protocol writes to: the real stdout */
export function claimStdout(): Writable {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout) as (chunk: Buffer, callback: (error?: Error | null) => void) => boolean;
  const protocol = new Writable({
    write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
      write(chunk, callback);
    },
  });
  const stderr = process.stderr;
  stdout.write = stderr.write.bind(stderr) as typeof stdout.write;
  return protocol;
}
