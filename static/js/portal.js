// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Send the CSRF token with every htmx request (the token lives in the page's forms).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });
})();
