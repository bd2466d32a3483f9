import type { SandboxFiles } from "../../workspace/sandbox/files.js";
import type { SandboxPaths } from "../../workspace/sandbox/sandbox.js";
import type { PersistentShell } from "../../workspace/sandbox/shell.js";
import type { Tool } from "../tool.js";
import { fileEditorTool } from "./file-editor/tool.js";
import { finishTool, thinkTool } from "./finish-think.js";
import { taskTrackerTool } from "./task-tracker.js";
import { terminalTool } from "./terminal.js";

/** The sandbox the OpenHands tools act in (an open sandbox's shell, files and paths), and how they present. */
export interface OpenHandsToolsetOptions {
  /** Where `terminal` runs commands (one shell for the whole run). */
  shell: PersistentShell;
  /** How `file_editor` reads and writes files in the sandbox. */
  files: SandboxFiles;
  /** The paths the sandbox sees (the checkout is the editor's working folder). */
  paths: SandboxPaths;
  /** Host-only folder for the task list. */
  stateDir?: string;
  /**
   * Advertise the `security_risk` parameter (as the SDK did at inference) or not (as in the recorded training
   * data, the default). Either way the tools accept and drop it.
   */
  securityRisk?: boolean;
  /** `terminal` returns after this long without new output when the call sets no timeout; default 30 s. */
  softTimeoutMs?: number;
}

/**
 * The default toolset: the tools the SWE-Review models were trained with, in the SDK's order: `terminal`,
 * `file_editor`, `task_tracker`, `finish`, `think`.
 */
// biome-ignore lint/suspicious/noExplicitAny: a toolset mixes tools of different argument types.
export function openHandsToolset(options: OpenHandsToolsetOptions): Tool<any>[] {
  const schema = { securityRisk: options.securityRisk ?? false };
  return [
    terminalTool({
      ...schema,
      shell: options.shell,
      files: options.files,
      observationsDir: `${options.paths.tmp.replace(/\/$/, "")}/swe-review-observations`,
      ...(options.softTimeoutMs === undefined ? {} : { softTimeoutMs: options.softTimeoutMs }),
    }),
    fileEditorTool({ ...schema, files: options.files, cwd: options.paths.testbed }),
    taskTrackerTool({ ...schema, ...(options.stateDir ? { stateDir: options.stateDir } : {}) }),
    finishTool(schema),
    thinkTool(schema),
  ];
}

/** What an agent role running in a workspace's sandbox passes to get its toolset. */
export interface SandboxedAgentInput {
  workspace: { state: string };
  sandbox: { shell: PersistentShell; files: SandboxFiles; paths: SandboxPaths };
  securityRisk?: boolean;
  softTimeoutMs?: number;
}

/** The OpenHands toolset of an agent working in a workspace's sandbox (the task list kept in the workspace). */
// biome-ignore lint/suspicious/noExplicitAny: a toolset mixes tools of different argument types.
export function sandboxedToolset(input: SandboxedAgentInput): Tool<any>[] {
  return openHandsToolset({
    shell: input.sandbox.shell,
    files: input.sandbox.files,
    paths: input.sandbox.paths,
    stateDir: input.workspace.state,
    ...(input.securityRisk === undefined ? {} : { securityRisk: input.securityRisk }),
    ...(input.softTimeoutMs === undefined ? {} : { softTimeoutMs: input.softTimeoutMs }),
  });
}
