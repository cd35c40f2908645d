// Polls a background job's status and moves the progress bar; reloads the page when it ends.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) return;
  var label = document.getElementById("job-label");
  var bar = document.getElementById("job-bar");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        if (s.finished) { window.location.reload(); return; }
        label.textContent = s.label + "…";
        if (s.fraction === null) bar.removeAttribute("value"); else bar.value = s.fraction;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 800);
})();
