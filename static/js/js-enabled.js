// Lets GOV.UK Frontend style for JavaScript only when its modules will run.
// Loaded (not inline) at the top of <body>, so the Content Security Policy
// needs no 'unsafe-inline' for scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
