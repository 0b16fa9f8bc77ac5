/**
 * MCP servers as typed steps: the filesystem server lists a folder of notes, a map step reads each, and the memory
 * server remembers them in its knowledge graph. The tools come from tools/mcp.ts, which `weave tools pull` wrote from
 * the servers of .mcp.json: `read.out` is typed by the filesystem server's own output schema, and a misspelt field
 * does not compile. Nothing here is simulated: the servers are the reference MCP servers, started by weave.
 *
 *   npx weave run examples/mcp/notes.ts --mcp examples/mcp/.mcp.json
 *
 * The memory server keeps its graph in $WEAVE_MEMORY_FILE (default /tmp/toolweave-example-memory.jsonl).
 */
import { z } from "zod";
import { withOutput, workflow } from "toolweave";
import { files, memory } from "./tools/mcp.js";

/** The filesystem server answers directory_tree with a JSON text in `content`: what it holds, checked on every call. */
const tree = withOutput(
  files.directory_tree,
  z.array(z.object({ name: z.string(), type: z.enum(["file", "directory"]) })),
  (answer: { content: string }) => JSON.parse(answer.content),
);

/** One note: read with the filesystem server, remembered under its path by the memory server. */
const rememberNote = workflow(
  "remember_note",
  { description: "Read one note and remember it under its path", input: z.object({ path: z.string() }) },
  ({ input, step }) => {
    const read = step("read").tool(files.read_text_file).with({ path: input.path });
    const remember = step("remember")
      .tool(memory.create_entities)
      .with({ entities: [{ name: input.path, entityType: "note", observations: [read.out.content] }] });
    return { created: remember.out.entities };
  },
);

export const rememberNotes = workflow(
  "remember_notes_typed",
  {
    description: "Read a folder of notes with the filesystem MCP server and remember each in the memory server",
    category: "mcp",
    tags: ["mcp", "map"],
    input: z.object({
      dir: z.string().default("notes"),
      paths: z.array(z.string()).default(["notes/deploy.md", "notes/oncall.md", "notes/release.md"]),
    }),
  },
  ({ input, step }) => {
    const listed = step("list").tool(tree).with({ path: input.dir });
    // one run of remember_note per note, two at a time
    const notes = step("notes")
      .forEach(input.paths, { as: "note", concurrency: 2 })
      .workflow(rememberNote)
      .with((note) => ({ path: note }));
    const found = step("search").tool(memory.search_nodes).with({ query: "notes/" }).after(notes);
    return { files: listed.out, remembered: found.out.entities };
  },
);
