/**
 * A repository's `owner/name`, as on GitHub: letters, digits, `_`, `.` and `-`, the owner starting with a letter or
 * digit, the name neither `.` nor `..`. Not a path (`~/x`, `./x`) nor a URL (`git@host:o/n`): what a dataset names
 * must not point swe-review at a folder or a server of the machine's.
 */
export const REPO_NAME = /^[A-Za-z0-9][\w.-]*\/(?!\.\.?$)[\w.-]+$/;
