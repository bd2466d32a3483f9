import { z } from "zod";
import { defineTool } from "../../src/tools/tool.js";

/** A tiny in-memory file system the agent can explore: real tools, small state. */
export function fileTools(
  files = new Map<string, string>([
    ["src/calc.py", "def add(a, b):\n    return a - b\n"],
    ["README.md", "# calc\n"],
  ]),
) {
  return [
    defineTool({
      name: "list_files",
      description: "List the files of the project.",
      schema: z.object({}).strict(),
      run: () => ({ output: [...files.keys()].sort().join("\n") }),
    }),
    defineTool({
      name: "read_file",
      description: "Read a file.",
      schema: z.object({ path: z.string() }).strict(),
      run: ({ path }) =>
        files.has(path)
          ? { output: files.get(path) ?? "" }
          : { output: `ERROR: no such file: ${path}`, isError: true },
    }),
    defineTool({
      name: "write_file",
      description: "Write a file.",
      schema: z.object({ path: z.string(), content: z.string() }).strict(),
      run: ({ path, content }) => {
        files.set(path, content);
        return { output: `wrote ${content.length} characters to ${path}` };
      },
    }),
    defineTool({
      name: "finish",
      description: "Finish with a summary.",
      schema: z.object({ message: z.string() }).strict(),
      run: ({ message }) => ({ output: message, finish: message }),
    }),
  ];
}
