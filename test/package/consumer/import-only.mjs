// Only imports the package's main entry: what a program that uses toolweave loads before it calls anything.
const toolweave = await import("toolweave");
process.stdout.write(`${JSON.stringify({ exports: Object.keys(toolweave).sort() })}\n`);
