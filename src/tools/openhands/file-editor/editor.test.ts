import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAS_BWRAP, openTestSandbox, type TestSandbox } from "../../../../test/helpers/sandbox.js";
import { fileEditorTool } from "./tool.js";

let box: TestSandbox;
let run: (args: Record<string, unknown>) => Promise<string>;
let T: string;

beforeAll(async () => {
  box = await openTestSandbox({
    kind: HAS_BWRAP ? "bwrap" : "local",
    files: {
      "calc.py": "def add(a, b):\n    return a - b\n",
      "pkg/__init__.py": "",
      "pkg/sub/deep.py": "x = 1\n",
      "pkg/sub/deeper/hidden_by_depth.py": "",
      ".hidden.cfg": "secret=1\n",
      "dup.txt": "same\nother\nsame\n",
    },
  });
  T = box.paths.testbed;
  const tool = fileEditorTool({ securityRisk: false, files: box.files, cwd: T });
  run = async (args) => {
    const parsed = tool.schema.parse(args);
    return (
      await tool.run(parsed, {
        signal: new AbortController().signal,
        callId: "c",
        step: 1,
        logger: {} as never,
      })
    ).output;
  };
});
afterAll(async () => box?.dispose());

const ERR = "[An error occurred during execution.]\n\n";

describe("file_editor view", () => {
  it("numbers a file like cat -n, with the extra empty line after a final newline", async () => {
    expect(await run({ command: "view", path: `${T}/calc.py` })).toBe(
      `Here's the result of running \`cat -n\` on ${T}/calc.py:\n     1\tdef add(a, b):\n     2\t    return a - b\n     3\t\n`,
    );
  });

  it("shows a view_range without the extra line, notes a range past the end, and rejects bad ranges", async () => {
    expect(await run({ command: "view", path: `${T}/calc.py`, view_range: [2, 2] })).toBe(
      `Here's the result of running \`cat -n\` on ${T}/calc.py:\n     2\t    return a - b\n`,
    );
    expect(await run({ command: "view", path: `${T}/calc.py`, view_range: "[2, -1]" })).toBe(
      `Here's the result of running \`cat -n\` on ${T}/calc.py:\n     2\t    return a - b\n     3\t\n`,
    );
    expect(await run({ command: "view", path: `${T}/calc.py`, view_range: [1, 10] })).toMatch(
      /^NOTE: We only show up to 3 since there're only 3 lines in this file\.\nHere's the result/,
    );
    expect(await run({ command: "view", path: `${T}/calc.py`, view_range: [0, 3] })).toBe(
      `${ERR}Invalid \`view_range\` parameter: [0, 3]. Its first element \`0\` should be within the range of lines of the file: [1, 3].`,
    );
    expect(await run({ command: "view", path: `${T}/calc.py`, view_range: [3, 2] })).toBe(
      `${ERR}Invalid \`view_range\` parameter: [3, 2]. Its second element \`2\` should be greater than or equal to the first element \`3\`.`,
    );
    expect(await run({ command: "view", path: `${T}/calc.py`, view_range: [1] })).toBe(
      `${ERR}Invalid \`view_range\` parameter: [1]. It should be a list of two integers.`,
    );
  });

  it("clips a long file in the middle to 16,000 characters, saying how to see the rest", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `value_${String(i + 1).padStart(4, "0")} = ${i}`);
    await run({ command: "create", path: `${box.paths.tmp}/long.py`, file_text: `${lines.join("\n")}\n` });
    const whole = await run({ command: "view", path: `${box.paths.tmp}/long.py` });
    expect(whole).toContain("<response clipped><NOTE>Only part of this file has been shown to you.");
    expect(whole).toContain("value_0001 = 0"); // the start…
    expect(whole).toContain("value_2000 = 1999"); // …and the end are kept
    expect(whole).not.toContain("value_1000 = 999"); // the middle is not
    const shown = whole.split("\n").filter((line) => /^\s+\d+\t/.test(line));
    expect(shown.map((line) => line.replace(/^\s+\d+\t/, "")).join("\n").length).toBeLessThanOrEqual(16_000);
    const middle = await run({ command: "view", path: `${box.paths.tmp}/long.py`, view_range: [1000, 1001] });
    expect(middle).toBe(
      `Here's the result of running \`cat -n\` on ${box.paths.tmp}/long.py:\n  1000\tvalue_1000 = 999\n  1001\tvalue_1001 = 1000\n`,
    );
  });

  it("lists a directory two levels deep, sorted, folders with a slash, hidden items counted", async () => {
    const listing = await run({ command: "view", path: T });
    expect(listing).toBe(
      [
        `Here's the files and directories up to 2 levels deep in ${T}, excluding hidden items:`,
        `${T}/`,
        `${T}/calc.py`,
        `${T}/dup.txt`,
        `${T}/pkg/`,
        `${T}/pkg/__init__.py`,
        `${T}/pkg/sub/`,
        "",
        `2 hidden files/directories in this directory are excluded. You can use 'ls -la ${T}' to see them.`,
      ].join("\n"),
    );
    expect(await run({ command: "view", path: `${T}/pkg`, view_range: [1, 2] })).toBe(
      `${ERR}Invalid \`view_range\` parameter: [1, 2]. The \`view_range\` parameter is not allowed when \`path\` points to a directory.`,
    );
  });

  it("explains relative, missing and binary paths", async () => {
    expect(await run({ command: "view", path: "calc.py" })).toBe(
      `${ERR}Invalid \`path\` parameter: calc.py. The path should be an absolute path, starting with \`/\`. Maybe you meant ${T}/calc.py?`,
    );
    expect(await run({ command: "view", path: `${T}/nope.py` })).toBe(
      `${ERR}Invalid \`path\` parameter: ${T}/nope.py. The path ${T}/nope.py does not exist. Please provide a valid path.`,
    );
    await box.files.write(`${T}/blob.bin`, Buffer.from([0, 159, 146, 150, 0, 1]));
    expect(await run({ command: "view", path: `${T}/blob.bin` })).toBe(
      `${ERR}File validation failed for ${T}/blob.bin: File appears to be binary and this file type cannot be read or edited by this tool.`,
    );
  });
});

describe("file_editor edits", () => {
  it("creates files, but never over an existing one or in a missing folder", async () => {
    expect(await run({ command: "create", path: `${T}/new.py`, file_text: "print('new')\n" })).toBe(
      `File created successfully at: ${T}/new.py`,
    );
    expect((await box.files.read(`${T}/new.py`)).toString()).toBe("print('new')\n");
    expect(await run({ command: "create", path: `${T}/new.py`, file_text: "x" })).toBe(
      `${ERR}Invalid \`path\` parameter: ${T}/new.py. File already exists at: ${T}/new.py. Cannot overwrite files using command \`create\`.`,
    );
    expect(await run({ command: "create", path: `${T}/no/dir/x.py`, file_text: "x" })).toBe(
      `${ERR}Ran into [Errno 2] No such file or directory: '${T}/no/dir/x.py' while trying to write to ${T}/no/dir/x.py`,
    );
    expect(await run({ command: "create", path: `${T}/y.py` })).toBe(
      `${ERR}Parameter \`file_text\` is required for command: create.`,
    );
    expect(await run({ command: "str_replace", path: T, old_str: "a", new_str: "b" })).toBe(
      `${ERR}Invalid \`path\` parameter: ${T}. The path ${T} is a directory and only the \`view\` command can be used on directories.`,
    );
  });

  it("replaces a unique string and shows the edited snippet; undo restores it", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n");
    await run({ command: "create", path: `${T}/long.txt`, file_text: `${lines}\n` });
    const edited = await run({
      command: "str_replace",
      path: `${T}/long.txt`,
      old_str: "line 7",
      new_str: "LINE 7\nLINE 7b",
    });
    expect(edited).toBe(
      `The file ${T}/long.txt has been edited. Here's the result of running \`cat -n\` on a snippet of ${T}/long.txt:\n` +
        "     3\tline 3\n     4\tline 4\n     5\tline 5\n     6\tline 6\n     7\tLINE 7\n     8\tLINE 7b\n     9\tline 8\n    10\tline 9\n    11\tline 10\n    12\tline 11\n" +
        "Review the changes and make sure they are as expected. Edit the file again if necessary.",
    );
    const undone = await run({ command: "undo_edit", path: `${T}/long.txt` });
    expect(undone).toMatch(
      new RegExp(
        `^Last edit to ${T}/long.txt undone successfully\\. Here's the result of running \`cat -n\` on ${T}/long.txt:\\n     1\\tline 1\\n`,
      ),
    );
    expect((await box.files.read(`${T}/long.txt`)).toString()).toBe(`${lines}\n`);
    expect(await run({ command: "undo_edit", path: `${T}/long.txt` })).toBe(
      `${ERR}No edit history found for ${T}/long.txt.`,
    );
  });

  it("refuses ambiguous, missing and no-op replacements, retrying with stripped strings first", async () => {
    expect(await run({ command: "str_replace", path: `${T}/dup.txt`, old_str: "same", new_str: "x" })).toBe(
      `${ERR}No replacement was performed. Multiple occurrences of old_str \`same\` in lines [1, 3]. Please ensure it is unique.`,
    );
    expect(
      await run({ command: "str_replace", path: `${T}/dup.txt`, old_str: "  absent  ", new_str: "x" }),
    ).toBe(`${ERR}No replacement was performed, old_str \`absent\` did not appear verbatim in ${T}/dup.txt.`);
    expect(
      await run({ command: "str_replace", path: `${T}/dup.txt`, old_str: "other", new_str: "other" }),
    ).toBe(
      `${ERR}Invalid \`new_str\` parameter: other. No replacement was performed. \`new_str\` and \`old_str\` must be different.`,
    );
    expect(await run({ command: "str_replace", path: `${T}/dup.txt`, old_str: "other" })).toBe(
      `${ERR}Parameter \`new_str\` is required for command: str_replace.`,
    );
    expect(
      await run({ command: "str_replace", path: `${T}/dup.txt`, old_str: " other \n", new_str: " OTHER \n" }),
    ).toMatch(/has been edited/);
    expect((await box.files.read(`${T}/dup.txt`)).toString()).toBe("same\nOTHER\nsame\n");
  });

  it("inserts after a line and checks the line number", async () => {
    const inserted = await run({
      command: "insert",
      path: `${T}/calc.py`,
      insert_line: 1,
      new_str: '    """Add."""',
    });
    expect(inserted).toBe(
      `The file ${T}/calc.py has been edited. Here's the result of running \`cat -n\` on a snippet of the edited file:\n` +
        '     1\tdef add(a, b):\n     2\t    """Add."""\n     3\t    return a - b\n     4\t\n' +
        "Review the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). Edit the file again if necessary.",
    );
    expect(await run({ command: "insert", path: `${T}/calc.py`, insert_line: 99, new_str: "x" })).toBe(
      `${ERR}Invalid \`insert_line\` parameter: 99. It should be within the range of allowed values: [0, 4]`,
    );
    expect(await run({ command: "insert", path: `${T}/calc.py`, new_str: "x" })).toBe(
      `${ERR}Parameter \`insert_line\` is required for command: insert.`,
    );
  });
});
