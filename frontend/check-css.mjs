// Fails the build if the compiled styles bring back GOV.UK's own branding or any file
// the site does not serve: the council uses a system font and its own colours.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const css = readFileSync(join(root, "static", "vendor", "css", "site.css"), "utf8");

const forbidden = [
  [/GDS Transport/i, "the GDS Transport font"],
  [/@font-face/i, "a web font (@font-face)"],
  [/\.woff2?\b/i, "a font file"],
  [/govuk-crest|crown\.svg|govuk-logo/i, "the crown or crest"],
  [/url\((?!["']?data:)/i, "an external file (url())"],
];
const problems = forbidden.filter(([pattern]) => pattern.test(css)).map(([, what]) => what);
if (problems.length) {
  console.error(`static/vendor/css/site.css must not contain: ${problems.join(", ")}`);
  process.exit(1);
}
console.log(`static/vendor/css/site.css: ${css.length} bytes, no GOV.UK font, crown or external files`);
