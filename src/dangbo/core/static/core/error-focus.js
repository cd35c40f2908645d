// A refused form on a long page: the page opens at the form's error summary ([data-error-summary],
// core/_error_summary.html), not at its top, and the summary takes the focus so that a screen reader
// reads it. A closed <details> around the form is opened first.
(function () {
  "use strict";
  function show() {
    var box = document.querySelector("[data-error-summary]");
    if (!box) return;
    for (var el = box.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
    box.focus({preventScroll: true});
    box.scrollIntoView({block: "center"});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
})();
