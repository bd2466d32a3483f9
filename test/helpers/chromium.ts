import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { type SkipReason, unless } from "./skip.js";

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). Tests never let a tool download a browser. */
export const CHROMIUM = "/usr/bin/chromium";

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** Why browser tests skip here (undefined when Chromium is installed). */
export const NO_CHROMIUM: SkipReason = unless(
  hasChromium(),
  `no Chromium at ${CHROMIUM} (apt-get install chromium)`,
);

/** Headless Chromium with no network of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}
