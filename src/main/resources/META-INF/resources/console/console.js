// The console's only behaviour besides htmx: send the session's CSRF token with every htmx request.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!meta) {
    return;
  }
  document.body.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  });
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
