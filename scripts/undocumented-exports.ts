import { publicApiDocs } from "../test/helpers/public-api-docs.js";

/** Prints the public names whose declaration has no doc comment (test/public-api-docs.test.ts fails on any). */
const { total, undocumented } = publicApiDocs(process.cwd());
console.log(`${undocumented.length} of ${total} exported names have no doc comment`);
console.log(undocumented.map(({ name, file }) => `${name} (${file})`).join("\n"));
