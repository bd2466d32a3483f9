/**
 * Why a failed connection means nobody answers at the base URL, read from the network error under an SDK's
 * connection error: refused, a name that does not resolve, no route, or a port fetch will not connect to. Other
 * connection failures (a reset, a TLS problem) are not this: the server may be there.
 */
export interface UnreachableReason {
  /** What happened, for the message. */
  reason: string;
  /** What to do about it. */
  fix: string;
}

const CHECK_SERVER = "Check that the server is running and the base URL is right.";

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: "the connection was refused (ECONNREFUSED): nothing listens there",
  ENOTFOUND: "the host name does not resolve (ENOTFOUND)",
  EAI_AGAIN: "the host name could not be resolved (EAI_AGAIN: DNS did not answer)",
  EHOSTUNREACH: "there is no route to the host (EHOSTUNREACH)",
  ENETUNREACH: "the network is unreachable (ENETUNREACH)",
};

export function unreachableReason(error: unknown): UnreachableReason | undefined {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    messages.push(current.message);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    // Node tries every address of a name (IPv6 and IPv4) and reports all of them at once.
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const innerCode = (inner as { code?: unknown } | undefined)?.code;
        if (typeof innerCode === "string") codes.push(innerCode);
      }
    }
    current = current.cause;
  }
  const known = codes.find((code) => code in BY_CODE);
  if (known) return { reason: BY_CODE[known] as string, fix: CHECK_SERVER };
  if (messages.includes("bad port")) {
    return {
      reason: "fetch does not connect to this port (one of the ports browsers block)",
      fix: "Serve the model on another port.",
    };
  }
  return undefined;
}
