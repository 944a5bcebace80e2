// Copies GOV.UK Frontend's JavaScript into static/vendor/ so the site serves it itself:
// nothing is ever fetched from a CDN at run time.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const target = join(root, "static", "vendor", "js");

mkdirSync(target, { recursive: true });
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(join(source, name), join(target, name));
}
console.log(`copied GOV.UK Frontend JavaScript to ${target}`);
