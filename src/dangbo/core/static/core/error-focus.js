// A refused form on a long page: the page opens at the form's error summary ([data-error-summary],
// core/_error_summary.html), not at its top, and the summary takes the focus so that a screen reader
// reads it. A closed <details> around the form is opened first. The browser's own autofocus may
// scroll too; the page is checked again once loaded, so the summary ends up whole on the screen.
(function () {
  "use strict";
  function summary() { return document.querySelector("[data-error-summary]"); }
  function onScreen(box) {
    var r = box.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= (window.innerHeight || document.documentElement.clientHeight);
  }
  function place() {
    var box = summary();
    if (box && !onScreen(box)) box.scrollIntoView({block: "center"});
  }
  function show() {
    var box = summary();
    if (!box) return;
    for (var el = box.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
    if (document.activeElement !== box) box.focus({preventScroll: true});
    place();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
  window.addEventListener("load", function () { window.requestAnimationFrame(place); });
})();
