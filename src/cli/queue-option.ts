import { EXIT_QUEUE_UNREACHABLE } from "../queue/reachability.js";

/** What `--queue <url>` takes, and how a command that uses it fails. */
export const QUEUE_URL_HELP = `redis://[user:password@]host:port/db; exit 3 when the URL is malformed or Redis refuses its credentials, ${EXIT_QUEUE_UNREACHABLE} when Redis cannot be reached`;
