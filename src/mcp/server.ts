import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { VERSION } from "../version.js";
import type { McpServices } from "./services.js";
import { registerReviewPatch } from "./tools/review-patch.js";
import { registerReviseGuidance } from "./tools/revise-guidance.js";

const INSTRUCTIONS = `swe-review reviews code changes the way a careful maintainer does: a reviewer agent traces the issue's root cause on its own, then applies and tests the change in a sandbox, and returns a verdict with defects at file:line.
Use review_patch to review a change (the working tree against HEAD by default) against the issue it should resolve. Use review_and_revise_guidance for the feedback to act on: fix what it lists, then review again, a few rounds at most.`;

/** The MCP server: the review tools over the given services. Connect it to a transport to serve. */
export function createMcpServer(services: McpServices): McpServer {
  const server = new McpServer({ name: "swe-review", version: VERSION }, { instructions: INSTRUCTIONS });
  registerReviewPatch(server, services);
  registerReviseGuidance(server, services);
  return server;
}
