// Starts GOV.UK Frontend's components on every page.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
