/**
 * Tool descriptions. Our own words, carrying the same instructions as the OpenHands SDK tools the SWE-Review models
 * were trained with (see openhands-tools.md §1.4).
 */

export const TERMINAL_DESCRIPTION = `Run a bash command in a persistent shell session.

### Command Execution
* Send one command at a time. To run several, chain them in one command with \`&&\` or \`;\`.
* The session persists between calls: the working directory, environment variables and shell state carry over.
* When a command produces no new output for 30 seconds and no \`timeout\` is set, control comes back to you while it keeps running (exit code -1).
* Do not use \`set -e\` or \`set -euo pipefail\`: a failing command would end the session. For multi-line scripts, write them to a file first and run the file.

### Long-running Commands
* Start servers and other never-ending processes in the background with their output redirected to a file, e.g. \`python3 app.py > server.log 2>&1 &\`.
* Give commands that need a long time (installs, test suites, builds) a larger \`timeout\`.
* Exit code -1 means the command is still running. Then set \`is_input\` to true and send an empty command to see more output, send text to write it to the process's standard input, or send \`C-c\` (interrupt), \`C-d\` (end of input) or \`C-z\`.

### Best Practices
* Before creating files or folders, check that the parent folder exists and is the one you mean.
* Prefer absolute paths to \`cd\`-ing around.

### Output Handling
* Very long output is cut in the middle; the notice says where the full output was saved.

### Terminal Reset
* Set \`reset\` to true to kill the session and start a new one, e.g. when it hangs. Environment variables and shell state are lost.`;

export const TERMINAL_PARAMETERS = {
  command:
    "The bash command to run. It may be empty to fetch more output when the previous exit code was -1, or `C-c` to interrupt the running command. One command at a time: chain several with `&&` or `;`.",
  is_input:
    "If true, `command` is sent as input to the running process (text, or a key such as `C-c`) instead of being run as a new command. Default is False.",
  timeout:
    "Optional hard time limit in seconds. When it passes, the command is stopped. Without it, control comes back after 30 seconds without new output and the command keeps running. Set a higher value for commands you know take long, such as installs and test suites: you’ll see their result instead of a timeout, and don’t forget that a stopped command produced no final result.",
  reset:
    "If true, kill the terminal session and start a new one; all environment variables and session state are lost. Use it only when the terminal stops responding. Cannot be used together with is_input=True.",
};

export const FILE_EDITOR_DESCRIPTION = `A tool for viewing, creating and editing files.
* State is persistent across calls.
* \`view\` on a file shows its contents numbered as \`cat -n\` does; on a folder it lists the files and folders up to 2 levels deep, leaving out hidden items.
* \`create\` makes a new file. It cannot be used when a file already exists at \`path\`.
* Long output is cut and marked with \`<response clipped>\`.
* \`undo_edit\` reverts the last edit made to the file at \`path\`.

Before using this tool:
1. Use \`view\` to understand the file's contents and context.
2. For a new file, check that its parent folder exists and is the right place.

When making edits:
- Always use absolute file paths (starting with /).
- Keep the code correct and idiomatic: no broken syntax, no stray text.

CRITICAL REQUIREMENTS for \`str_replace\`:
1. EXACT MATCHING: \`old_str\` must match one or more consecutive lines of the file exactly, including all whitespace and indentation.
2. UNIQUENESS: \`old_str\` must occur exactly once. Include enough context (usually 3 to 5 lines before and after the change) to make it unique; if it occurs more than once, nothing is replaced.
3. REPLACEMENT: \`new_str\` replaces \`old_str\` and must be different from it.

Several independent edits to different places can be sent as separate calls in one message.
`;

export const FILE_EDITOR_PARAMETERS = {
  command: "The command to run. Allowed options are: `view`, `create`, `str_replace`, `insert`, `undo_edit`.",
  path: "Absolute path to a file or folder, e.g. `/testbed/file.py` or `/testbed`.",
  file_text: "Required for `create`: the content of the file to be created.",
  old_str: "Required for `str_replace`: the exact text in the file to replace.",
  new_str:
    "For `str_replace`: the new text (if omitted, no text is added). Required for `insert`: the text to insert.",
  insert_line:
    "Required for `insert`: `new_str` is inserted AFTER line `insert_line` of `path` (0 inserts at the top).",
  view_range:
    "Optional for `view` on a file: the range of lines to show, 1-indexed, e.g. [11, 12] shows lines 11 and 12. [start_line, -1] shows everything from `start_line` to the end of the file.",
};

export function fileEditorDescription(cwd: string): string {
  return `${FILE_EDITOR_DESCRIPTION}\n\nYour current working directory is: ${cwd}\nWhen exploring project structure, start with this directory instead of the root filesystem.`;
}

export const TASK_TRACKER_DESCRIPTION = `Keep a structured task list for the work in this session: plan it, track progress, and show what is left.

## When to use it
Use it for work with several steps: complex changes, tasks with many parts, or when you are given several requests at once. Make the plan right after you receive the task, and update it as you go: mark a task in_progress when you start it and done as soon as it is finished. Add tasks when you discover new work.

## When not to use it
Skip it for a single, simple task that takes one or two trivial steps, for purely informational questions, and for conversation.

## Examples of when to use it
Scenario A: "Fix the failing parser tests and add a regression test." Plan: reproduce the failure; find the root cause; fix it; add the regression test; run the whole suite.
Scenario B: "Rename the config option everywhere and update the docs." Plan: find every use; rename in code; update the docs; run the tests.
Scenario C: The user lists five small changes. Plan one task per change so none is forgotten.

## Examples of when not to use it
Counter-example A: "What does this function return?" Read it and answer; no list needed.
Counter-example B: "Fix the typo in the README." One trivial edit; no list needed.

## Managing status
- todo: not started. in_progress: being worked on now; keep exactly ONE task in_progress at a time. done: finished.
- Never mark a task done while its tests fail, the work is partial, or errors remain unresolved; keep it in_progress and add a task for what blocks it.
- \`plan\` replaces the whole list: always send every task, with its current status.
- \`view\` shows the current list. Always \`view\` before changing the list.

When uncertain, favor using this tool: planning keeps long tasks on track.`;

export const TASK_TRACKER_PARAMETERS = {
  command:
    "`view` shows the current task list. `plan` creates or updates the task list based on provided requirements and progress. Always `view` the current list before making changes.",
  task_list: "The full task list. Required parameter of `plan` command.",
  title: "A brief title for the task.",
  notes: "Additional details or notes about the task.",
  status: "The current status of the task: todo, in_progress or done.",
};

export const FINISH_DESCRIPTION = `Signals the completion of the current task or conversation.

Use this tool when:
- you have finished the task you were given, or
- you cannot go on (you are blocked, or need something from the user).

The message should summarise what you did and the result, any next steps, an explanation if the task could not be completed, and any questions for the user.`;

export const FINISH_PARAMETERS = { message: "Final message to send to the user." };

export const THINK_DESCRIPTION = `Use the tool to think about something. It will not obtain new information or make any changes to the repository; it only records the thought. Use it when complex reasoning or brainstorming helps, for example:
1. After exploring the repository, to weigh the possible root causes of a bug and how likely each is.
2. After getting test results, to work out why they fail and how to fix them.
3. Before a complex change, to plan the approach and the order of the edits.
4. When several designs are possible, to compare them and choose.
5. When stuck, to list what you know, what you have tried, and what to try next.`;

export const THINK_PARAMETERS = { thought: "The thought to log." };
