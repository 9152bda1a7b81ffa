// Questionnaire autosave: progressive enhancement only (the Save button works without this).
// htmx posts one question a moment after it changes (see the hx-* attributes of .item-card).
// This file adds what htmx cannot know:
//  - typing in a text field autosaves after a pause (the "autosave" event), not only on blur;
//  - text typed or options ticked while a save was on its way survive the card being redrawn;
//  - answers not yet sent when the officer leaves the page are sent with navigator.sendBeacon;
//  - "does not apply" greys out the answer options, which are then not sent.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire-form");
  if (!form) {
    return;
  }
  var edits = 0;
  var dirty = {}; // card id -> number of the last edit not yet saved
  var sent = {}; // card id -> {edit, values} when its save was sent
  var live = {}; // card id -> values just before the response was applied
  var leaving = false;

  function cardOf(element) {
    return element && element.closest ? element.closest(".item-card") : null;
  }

  function isText(element) {
    return element.matches("textarea, input[type=text], input[type=url]");
  }

  function snapshot(card) {
    var values = {};
    card.querySelectorAll("input, textarea").forEach(function (element) {
      if (!element.id || element.type === "hidden") {
        return;
      }
      values[element.id] = element.type === "radio" || element.type === "checkbox"
        ? element.checked : element.value;
    });
    return values;
  }

  function syncNotApplicable(card) {
    var box = card && card.querySelector("[data-na-toggle]");
    if (!box) {
      return;
    }
    card.querySelectorAll("[data-answer-value] input").forEach(function (element) {
      element.disabled = box.checked;
    });
    var options = card.querySelector("[data-answer-value] fieldset, [data-answer-value] > div");
    if (options) {
      options.classList.toggle("is-na", box.checked);
    }
  }

  function markDirty(card) {
    edits += 1;
    dirty[card.id] = edits;
  }

  form.addEventListener("input", function (event) {
    var card = cardOf(event.target);
    if (!card) {
      return;
    }
    markDirty(card);
    if (isText(event.target)) {
      card.dispatchEvent(new CustomEvent("autosave"));
    }
  });

  form.addEventListener("change", function (event) {
    var card = cardOf(event.target);
    if (card) {
      markDirty(card);
      if (event.target.matches("[data-na-toggle]")) {
        syncNotApplicable(card);
      }
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var card = cardOf(event.detail.elt);
    if (card) {
      sent[card.id] = {edit: dirty[card.id], values: snapshot(card)};
    }
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var card = cardOf(event.detail.elt);
    if (card) {
      live[card.id] = snapshot(card);
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var old = cardOf(event.detail.elt);
    if (!old) {
      return;
    }
    var id = old.id;
    var before = sent[id];
    var now = live[id];
    delete sent[id];
    delete live[id];
    var card = document.getElementById(id);
    if (!event.detail.successful || !before) {
      return;
    }
    if (dirty[id] === before.edit) {
      delete dirty[id];
    }
    if (!card || card === old || !now) {
      return;
    }
    // The card was redrawn: put back what changed while the save was on its way.
    var restored = null;
    Object.keys(now).forEach(function (fieldId) {
      if (now[fieldId] === before.values[fieldId]) {
        return;
      }
      var element = document.getElementById(fieldId);
      if (!element) {
        return;
      }
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = now[fieldId];
      } else {
        element.value = now[fieldId];
      }
      restored = element;
    });
    syncNotApplicable(card);
    if (restored) {
      markDirty(card);
      restored.dispatchEvent(new Event("change", {bubbles: true}));
    }
  });

  document.body.addEventListener("htmx:load", function (event) {
    var card = cardOf(event.detail.elt);
    if (card) {
      syncNotApplicable(card);
    }
  });

  form.addEventListener("submit", function () {
    leaving = true; // the Save button posts everything itself
  });

  window.addEventListener("pagehide", function () {
    var ids = Object.keys(dirty);
    if (leaving || !ids.length || !navigator.sendBeacon) {
      return;
    }
    var data = new FormData();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    data.append(token.name, token.value);
    ids.forEach(function (id) {
      var card = document.getElementById(id);
      if (!card) {
        return;
      }
      card.querySelectorAll("input, textarea").forEach(function (element) {
        if (!element.name || element.disabled || element.type === "submit") {
          return;
        }
        if ((element.type === "checkbox" || element.type === "radio") && !element.checked) {
          return;
        }
        data.append(element.name, element.value);
      });
    });
    navigator.sendBeacon(form.action, data);
    dirty = {};
  });

  form.querySelectorAll(".item-card").forEach(syncNotApplicable);
})();
