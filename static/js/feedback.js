// Public feedback forms: let htmx swap in the answers that explain a refusal (403 outside a
// round, 422 form errors, 429 rate limit) instead of ignoring them. Pages work without this.
(function () {
  "use strict";
  if (window.portalFeedbackReady) {
    return;
  }
  window.portalFeedbackReady = true;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 403 || status === 422 || status === 429) &&
        target && target.closest && target.closest("[data-feedback-region]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // After a swap, move focus to the new message so screen-reader users hear the outcome.
  document.addEventListener("htmx:afterSwap", function (event) {
    var id = event.detail.target && event.detail.target.id;
    var region = id && document.getElementById(id);
    var message = region && region.querySelector("[data-feedback-focus]");
    if (message) {
      message.setAttribute("tabindex", "-1");
      message.focus();
    }
  });
})();
