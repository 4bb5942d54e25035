// Ask before leaving a page whose form (marked data-unsaved-guard) has edits not yet saved.
// Submitting that form saves them, so it leaves without asking; any other way out asks.
(function () {
  "use strict";
  let dirty = false;
  document.querySelectorAll("form[data-unsaved-guard]").forEach(function (form) {
    form.addEventListener("input", function () {
      dirty = true;
    });
    form.addEventListener("submit", function () {
      dirty = false;
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) {
      return;
    }
    event.preventDefault();
    // Older browsers need a value here; none shows it any more.
    event.returnValue = "";
  });
})();
