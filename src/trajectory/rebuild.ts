import { SweReviewError } from "../common/errors.js";
import type { Message, ModelRequest } from "../model/types.js";
import type { HeaderEvent, StepEvent, TrajectoryEvent } from "./schema.js";

/** The request of one step, as the model received it. */
export interface RebuiltRequest extends ModelRequest {
  /** The step's number (1-based). */
  step: number;
}

/**
 * The exact request of every step, rebuilt from a trajectory: the messages the model had seen when it answered,
 * the tools as sent and the request options. Feed these to a provider's body builder to get the wire bytes.
 */
export function rebuildRequests(events: readonly TrajectoryEvent[]): RebuiltRequest[] {
  const header = events.find((event): event is HeaderEvent => event.type === "header");
  if (!header) throw new SweReviewError("trajectory_invalid", "The trajectory has no header.");
  const messages: Message[] = [];
  const requests: RebuiltRequest[] = [];
  for (const event of events) {
    if (event.type === "message") {
      messages.push(event.message);
    } else if (event.type === "step") {
      if (event.request.messageCount !== messages.length) {
        throw new SweReviewError(
          "trajectory_inconsistent",
          `Step ${event.step} says its request carried ${event.request.messageCount} messages, but the trajectory rebuilds ${messages.length}.`,
        );
      }
      requests.push({
        step: event.step,
        messages: [...messages],
        tools: header.tools,
        ...(event.request.options ? { options: event.request.options } : {}),
      });
      messages.push(...stepMessages(event));
    }
  }
  return requests;
}

/** The full conversation at the end of the trajectory. */
export function rebuildConversation(events: readonly TrajectoryEvent[]): Message[] {
  const messages: Message[] = [];
  for (const event of events) {
    if (event.type === "message") messages.push(event.message);
    else if (event.type === "step") messages.push(...stepMessages(event));
  }
  return messages;
}

/** The messages a step adds to the conversation: the assistant's answer, then one tool message per observation. */
export function stepMessages(event: StepEvent): Message[] {
  const assistant: Message = {
    role: "assistant",
    content: event.response.content,
    toolCalls: event.response.toolCalls,
    ...(event.response.reasoning === undefined ? {} : { reasoning: event.response.reasoning }),
    ...(event.response.thinkingBlocks === undefined ? {} : { thinkingBlocks: event.response.thinkingBlocks }),
  };
  return [
    assistant,
    ...event.observations.map(
      (observation): Message => ({
        role: "tool",
        toolCallId: observation.toolCallId,
        name: observation.name,
        content: observation.content,
      }),
    ),
  ];
}
