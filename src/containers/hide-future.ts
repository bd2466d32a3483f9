/**
 * Leaves the repository at `/testbed` with nothing past its base commit: the checkout detached at the base; every
 * other ref gone (branches, tags, remote-tracking refs, the stash, notes, replace refs); remotes, reflogs and the
 * FETCH_HEAD/ORIG_HEAD family removed; and every object no longer reachable pruned. SWE-bench's images keep the
 * whole clone, and the released review images only reset and ran `gc`, which leaves later commits reachable
 * through other refs.
 *
 * Run as `bash -c HIDE_FUTURE_SCRIPT hide <base>` in the checkout; `<base>` empty: the checkout's HEAD. Prints the
 * base commit's full hash as its last line.
 */
export const HIDE_FUTURE_SCRIPT = String.raw`set -eu
cd /testbed
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
wanted=$1; [ -n "$wanted" ] || wanted=HEAD
base=$(git rev-parse --verify "$wanted^{commit}")
git -c advice.detachedHead=false checkout -q --detach "$base"
git for-each-ref --format='%(refname)' | while IFS= read -r ref; do git update-ref --no-deref -d "$ref"; done
for remote in $(git remote); do git remote remove "$remote" >/dev/null 2>&1 || git config --remove-section "remote.$remote" || true; done
git_dir=$(git rev-parse --git-dir)
rm -f "$git_dir/FETCH_HEAD" "$git_dir/ORIG_HEAD" "$git_dir/MERGE_HEAD" "$git_dir/CHERRY_PICK_HEAD" "$git_dir/REVERT_HEAD" "$git_dir/BISECT_LOG"
rm -rf "$git_dir/logs" "$git_dir/refs/original" "$git_dir/rebase-merge" "$git_dir/rebase-apply"
rm -f "$git_dir/objects/info/alternates"
git -c gc.reflogExpire=now -c gc.reflogExpireUnreachable=now -c gc.pruneExpire=now -c gc.worktreePruneExpire=now \
  -c gc.writeCommitGraph=false -c core.commitGraph=false gc --prune=now --quiet
rm -f "$git_dir/objects/info/commit-graph"; rm -rf "$git_dir/objects/info/commit-graphs"
left=$(git for-each-ref --format='%(refname)' | wc -l)
[ "$left" -eq 0 ] || { echo "refs remain: $left" >&2; exit 1; }
git rev-parse HEAD`;
