import { InputError } from "../../common/errors.js";
import type { TestConfig } from "../../config/schema.js";
import { isParserName, PARSER_NAMES, type ParserName } from "../parsers/registry.js";
import { BUILTIN_TEST_SPECS } from "./builtin.js";
import { SWE_BENCH_REPOS } from "./swe-bench-repos.js";
import { coversVersion, type TestSpec, TestSpecSchema } from "./test-spec.js";

/** The part of an instance that picks its spec. */
export interface SpecKey {
  repo: string;
  version?: string | undefined;
}

/**
 * The test spec for an instance: the user's (`test:` in `.swe-review.yaml`) when it names this repository, else
 * the built-in one covering the instance's version, else the user's when it names no repository (it is then the
 * spec of the user's own repository), else none.
 */
export function findTestSpec(instance: SpecKey, user?: TestConfig): TestSpec | undefined {
  if (user && user.repo === instance.repo) return userSpec(user, instance.repo);
  const builtin = BUILTIN_TEST_SPECS.find(
    (spec) => spec.repo === instance.repo && coversVersion(spec, instance.version),
  );
  if (builtin) return builtin;
  if (user && user.repo === undefined) return userSpec(user, instance.repo);
  return undefined;
}

/** The log parser for an instance's logs: its spec's, else SWE-bench's for the repository. */
export function parserFor(instance: SpecKey, user?: TestConfig): ParserName {
  const spec = findTestSpec(instance, user);
  if (spec) return spec.parser;
  const known = SWE_BENCH_REPOS[instance.repo];
  if (known) return known.parser;
  throw new InputError(
    "no_parser",
    `No log parser is known for ${instance.repo}. Pass --parser <name>, or add \`test: {command, parser}\` to ` +
      `.swe-review.yaml. Parsers: ${PARSER_NAMES.join(", ")}.`,
  );
}

/** A spec from the `test:` section of the configuration. */
export function userSpec(user: TestConfig, repo: string): TestSpec {
  if (!isParserName(user.parser)) {
    throw new InputError(
      "config_invalid",
      `test.parser '${user.parser}' in the configuration is not a log parser. Use one of: ${PARSER_NAMES.join(", ")}.`,
    );
  }
  const setup = user.setup === undefined ? [] : typeof user.setup === "string" ? [user.setup] : user.setup;
  const spec = TestSpecSchema.safeParse({
    repo,
    command: user.command,
    parser: user.parser,
    setup,
    env: user.env ?? {},
    ...(user.python ? { python: user.python } : {}),
    ...(user.infrastructure ? { infrastructure: user.infrastructure } : {}),
  });
  if (!spec.success) {
    const issue = spec.error.issues[0];
    throw new InputError(
      "config_invalid",
      `test.${issue?.path.join(".")} in the configuration: ${issue?.message}. Fix it in .swe-review.yaml.`,
    );
  }
  return spec.data;
}
