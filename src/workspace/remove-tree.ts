import { chmod, lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/**
 * Removes a folder an agent worked in. An agent can `chmod 000` a folder of its own, which stops an unprivileged
 * removal (root is not stopped): the folders are then opened up, without following any link, and the removal tried
 * again, so a workspace never outlives its run.
 */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM") throw error;
  }
  await openFolders(dir);
  await rm(dir, { recursive: true, force: true });
}

async function openFolders(dir: string): Promise<void> {
  const stat = await lstat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) return;
  await chmod(dir, 0o700).catch(() => {});
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) await openFolders(join(dir, name));
}
