/** A small unified diff that changes line `line` (and its neighbours as context) of each named file. */
export function diffOf(files: readonly string[], line = 10): string {
  return files
    .map((file) =>
      [
        `diff --git a/${file} b/${file}`,
        `--- a/${file}`,
        `+++ b/${file}`,
        `@@ -${line},3 +${line},3 @@`,
        " before",
        "-old",
        "+new",
        " after",
        "",
      ].join("\n"),
    )
    .join("");
}
