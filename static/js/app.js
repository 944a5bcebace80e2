// Starts GOV.UK Frontend's components (menu toggle, skip link, accordions, tabs, …).
import { initAll } from "../vendor/js/govuk-frontend.min.js";

initAll();
