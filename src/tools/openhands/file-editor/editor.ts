import { posix } from "node:path";
import type { SandboxFiles } from "../../../workspace/sandbox/files.js";
import { SandboxOpError } from "../../../workspace/sandbox/session.js";
import { ToolInputError } from "../observation.js";
import { clipMiddle } from "../truncate.js";
import {
  catN,
  DIRECTORY_CLIP_NOTICE,
  FILE_CLIP_NOTICE,
  IMAGE_EXTENSIONS,
  numbered,
  pyList,
} from "./format.js";

export type EditorCommand = "view" | "create" | "str_replace" | "insert" | "undo_edit";

export interface EditorArgs {
  command: EditorCommand;
  path: string;
  file_text?: string | undefined;
  old_str?: string | undefined;
  new_str?: string | undefined;
  insert_line?: number | undefined;
  view_range?: number[] | undefined;
}

const MAX_VIEW_CHARS = 16_000;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const HISTORY_DEPTH = 10;
const SNIPPET_LINES = 4;

/**
 * The file editor, working through the sandbox so every path is resolved as the agent sees it. Errors are thrown
 * as `ToolInputError` with OpenHands' wording; the tool turns them into error observations.
 */
export class FileEditor {
  private readonly history = new Map<string, string[]>();

  constructor(
    private readonly files: SandboxFiles,
    private readonly cwd: string,
  ) {}

  async run(args: EditorArgs): Promise<string> {
    const path = args.path.length > 1 ? args.path.replace(/\/+$/, "") : args.path;
    const stat = await this.validatePath(args.command, path);
    switch (args.command) {
      case "view":
        return stat?.kind === "directory"
          ? this.viewDirectory(path, args.view_range)
          : this.viewFile(path, args.view_range);
      case "create":
        return this.create(path, required(args.file_text, "file_text", "create"));
      case "str_replace":
        return this.strReplace(
          path,
          required(args.old_str, "old_str", "str_replace"),
          required(args.new_str, "new_str", "str_replace"),
        );
      case "insert":
        return this.insert(
          path,
          required(args.insert_line, "insert_line", "insert"),
          required(args.new_str, "new_str", "insert"),
        );
      case "undo_edit":
        return this.undo(path);
    }
  }

  private async validatePath(command: EditorCommand, path: string) {
    if (!posix.isAbsolute(path)) {
      let message = `Invalid \`path\` parameter: ${path}. The path should be an absolute path, starting with \`/\`.`;
      const suggestion = posix.join(this.cwd, path);
      if (await this.files.stat(suggestion)) message += ` Maybe you meant ${suggestion}?`;
      throw new ToolInputError(message);
    }
    const stat = await this.files.stat(path);
    if (command !== "create" && !stat) {
      throw new ToolInputError(
        `Invalid \`path\` parameter: ${path}. The path ${path} does not exist. Please provide a valid path.`,
      );
    }
    if (command === "create" && stat) {
      throw new ToolInputError(
        `Invalid \`path\` parameter: ${path}. File already exists at: ${path}. Cannot overwrite files using command \`create\`.`,
      );
    }
    if (stat?.kind === "directory" && command !== "view") {
      throw new ToolInputError(
        `Invalid \`path\` parameter: ${path}. The path ${path} is a directory and only the \`view\` command can be used on directories.`,
      );
    }
    return stat;
  }

  private async viewDirectory(path: string, viewRange: number[] | undefined): Promise<string> {
    if (viewRange) {
      throw new ToolInputError(
        `Invalid \`view_range\` parameter: ${pyList(viewRange)}. The \`view_range\` parameter is not allowed when \`path\` points to a directory.`,
      );
    }
    const listing = await this.files.run(["find", "-L", path, "-maxdepth", "2", "-printf", "%y\t%d\t%p\n"]);
    const entries: string[] = [];
    let hidden = 0;
    const base = path === "/" ? "" : path;
    for (const line of listing.stdout.split("\n")) {
      const [type, depth, entry] = line.split("\t");
      if (entry === undefined) continue;
      const relative = entry.slice(base.length + 1);
      const parts = relative === "" ? [] : relative.split("/");
      if (parts.some((part) => part.startsWith("."))) {
        if (depth === "1") hidden++;
        continue;
      }
      entries.push(type === "d" ? `${entry}/` : entry);
    }
    entries.sort(compareBytes);
    const body = clipMiddle(
      entries.length > 0 ? `${entries.join("\n")}\n` : "",
      MAX_VIEW_CHARS,
      DIRECTORY_CLIP_NOTICE,
    );
    let output = `Here's the files and directories up to 2 levels deep in ${path}, excluding hidden items:\n${body}`;
    if (hidden > 0) {
      output += `\n${hidden} hidden files/directories in this directory are excluded. You can use 'ls -la ${path}' to see them.`;
    }
    return output;
  }

  private async viewFile(path: string, viewRange: number[] | undefined): Promise<string> {
    if (IMAGE_EXTENSIONS.includes(posix.extname(path).toLowerCase())) {
      return `Image file ${path} read successfully. Displaying image content.`;
    }
    const text = await this.readText(path);
    if (!viewRange) return catN(clipMiddle(text, MAX_VIEW_CHARS, FILE_CLIP_NOTICE), path);
    const lines = text.split("\n");
    const count = lines.length;
    const invalid = (why: string) =>
      new ToolInputError(`Invalid \`view_range\` parameter: ${pyList(viewRange)}. ${why}`);
    const [start, end] = viewRange;
    if (viewRange.length !== 2 || start === undefined || end === undefined) {
      throw invalid("It should be a list of two integers.");
    }
    if (start < 1 || start > count) {
      throw invalid(
        `Its first element \`${start}\` should be within the range of lines of the file: [1, ${count}].`,
      );
    }
    if (end !== -1 && end < start) {
      throw invalid(
        `Its second element \`${end}\` should be greater than or equal to the first element \`${start}\`.`,
      );
    }
    const last = end === -1 || end > count ? count : end;
    const note =
      end > count
        ? `NOTE: We only show up to ${count} since there're only ${count} lines in this file.\n`
        : "";
    const selected = clipMiddle(lines.slice(start - 1, last).join("\n"), MAX_VIEW_CHARS, FILE_CLIP_NOTICE);
    return `${note}${catN(selected, path, start)}`;
  }

  private async create(path: string, content: string): Promise<string> {
    try {
      await this.files.write(path, content);
    } catch (error) {
      if (error instanceof SandboxOpError) {
        const errno =
          error.opCode === "ENOENT"
            ? "[Errno 2] No such file or directory"
            : `[${error.opCode}] ${error.message}`;
        throw new ToolInputError(`Ran into ${errno}: '${path}' while trying to write to ${path}`);
      }
      throw error;
    }
    this.remember(path, undefined);
    return `File created successfully at: ${path}`;
  }

  private async strReplace(path: string, oldStr: string, newStr: string): Promise<string> {
    if (newStr === oldStr) {
      throw new ToolInputError(
        `Invalid \`new_str\` parameter: ${newStr}. No replacement was performed. \`new_str\` and \`old_str\` must be different.`,
      );
    }
    const text = await this.readText(path);
    let [find, replacement] = [oldStr, newStr];
    let occurrences = indexesOf(text, find);
    if (occurrences.length === 0) {
      [find, replacement] = [oldStr.trim(), newStr.trim()];
      occurrences = find === "" ? [] : indexesOf(text, find);
    }
    if (occurrences.length === 0) {
      throw new ToolInputError(
        `No replacement was performed, old_str \`${find}\` did not appear verbatim in ${path}.`,
      );
    }
    if (occurrences.length > 1) {
      const lines = occurrences.map((index) => lineOf(text, index) + 1);
      throw new ToolInputError(
        `No replacement was performed. Multiple occurrences of old_str \`${find}\` in lines ${pyList(lines)}. Please ensure it is unique.`,
      );
    }
    const at = occurrences[0] as number;
    const updated = text.slice(0, at) + replacement + text.slice(at + find.length);
    await this.files.write(path, updated);
    this.remember(path, text);
    const line = lineOf(text, at);
    const start = Math.max(0, line - SNIPPET_LINES);
    const end = line + SNIPPET_LINES + countNewlines(replacement);
    const snippet = updated
      .split("\n")
      .slice(start, end + 1)
      .join("\n");
    return (
      `The file ${path} has been edited. ${catN(snippet, `a snippet of ${path}`, start + 1)}` +
      "Review the changes and make sure they are as expected. Edit the file again if necessary."
    );
  }

  private async insert(path: string, insertLine: number, newStr: string): Promise<string> {
    const text = await this.readText(path);
    const lines = text.split("\n");
    if (insertLine < 0 || insertLine > lines.length) {
      throw new ToolInputError(
        `Invalid \`insert_line\` parameter: ${insertLine}. It should be within the range of allowed values: ${pyList([0, lines.length])}`,
      );
    }
    const inserted = newStr.split("\n");
    const updated = [...lines.slice(0, insertLine), ...inserted, ...lines.slice(insertLine)];
    await this.files.write(path, updated.join("\n"));
    this.remember(path, text);
    const start = Math.max(0, insertLine - SNIPPET_LINES);
    const snippet = updated.slice(start, insertLine + SNIPPET_LINES + inserted.length).join("\n");
    return (
      `The file ${path} has been edited. Here's the result of running \`cat -n\` on a snippet of the edited file:\n` +
      `${numbered(snippet, start + 1)}\n` +
      "Review the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). Edit the file again if necessary."
    );
  }

  private async undo(path: string): Promise<string> {
    const stack = this.history.get(path);
    const previous = stack?.pop();
    if (previous === undefined) throw new ToolInputError(`No edit history found for ${path}.`);
    await this.files.write(path, previous);
    return `Last edit to ${path} undone successfully. ${catN(previous, path)}`;
  }

  /** Keeps the content before an edit (at most 10 per file). Creating a file leaves nothing to undo. */
  private remember(path: string, before: string | undefined): void {
    if (before === undefined) return;
    const stack = this.history.get(path) ?? [];
    stack.push(before);
    if (stack.length > HISTORY_DEPTH) stack.shift();
    this.history.set(path, stack);
  }

  private async readText(path: string): Promise<string> {
    const stat = await this.files.stat(path);
    if (stat && stat.size > MAX_FILE_BYTES) {
      throw new ToolInputError(
        `File validation failed for ${path}: File is too large (${(stat.size / 1024 / 1024).toFixed(1)}MB). Maximum allowed size is 10MB.`,
      );
    }
    const bytes = await this.files.read(path, MAX_FILE_BYTES);
    try {
      if (bytes.subarray(0, 8192).includes(0)) throw new Error("NUL byte");
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new ToolInputError(
        `File validation failed for ${path}: File appears to be binary and this file type cannot be read or edited by this tool.`,
      );
    }
  }
}

function required<T>(value: T | undefined, name: string, command: string): T {
  if (value === undefined)
    throw new ToolInputError(`Parameter \`${name}\` is required for command: ${command}.`);
  return value;
}

function indexesOf(text: string, find: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(find); at >= 0; at = text.indexOf(find, at + 1)) found.push(at);
  return found;
}

function lineOf(text: string, index: number): number {
  return countNewlines(text.slice(0, index));
}

function countNewlines(text: string): number {
  let count = 0;
  for (const char of text) if (char === "\n") count++;
  return count;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
