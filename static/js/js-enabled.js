// Tells GOV.UK Frontend's styles that scripts run, before the page is drawn.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
