import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where a Hugging Face repository's `tokenizer.json` sits in the local Hugging Face cache
 * (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`), as `huggingface-cli download` or
 * vLLM leave it: `models--<org>--<name>/snapshots/<revision>/tokenizer.json`. Undefined when it is not there.
 */
export function findCachedTokenizer(repo: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const hub =
    env.HF_HUB_CACHE || join(env.HF_HOME || join(env.HOME || homedir(), ".cache", "huggingface"), "hub");
  const snapshots = join(hub, `models--${repo.replaceAll("/", "--")}`, "snapshots");
  if (!existsSync(snapshots)) return undefined;
  for (const revision of readdirSync(snapshots).sort()) {
    const file = join(snapshots, revision, "tokenizer.json");
    if (existsSync(file)) return file;
  }
  return undefined;
}
