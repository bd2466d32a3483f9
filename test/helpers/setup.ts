import { afterAll } from "vitest";
import { killLiveChildren } from "./cli.js";

// Every test file: CLI processes a timed-out test left running are killed when the file ends.
afterAll(() => killLiveChildren());
