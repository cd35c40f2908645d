// The decision table's quota, recounted as levels are chosen: HTXSNV may not exceed the rule set's
// share (data-share-num / data-share-den) of HTTNV in each group, rounded down. The server checks
// it again when the table is saved.
(function () {
  "use strict";
  const box = document.getElementById("quota");
  if (!box) return;
  const num = Number(box.dataset.shareNum), den = Number(box.dataset.shareDen);
  function recount() {
    const counts = {0: {x: 0, t: 0}, 1: {x: 0, t: 0}};
    document.querySelectorAll("select.level").forEach(function (s) {
      const group = counts[s.dataset.collective === "1" ? 1 : 0];
      if (s.value === "HTXSNV") group.x += 1;
      if (s.value === "HTTNV") group.t += 1;
    });
    // the quota box at the top, and its repeat next to the save button
    document.querySelectorAll("[data-quota-group]").forEach(function (line) {
      const c = counts[line.dataset.quotaGroup];
      const allowed = Math.floor((c.t * num) / den);
      line.querySelector(".quota-x").textContent = c.x;
      line.querySelector(".quota-t").textContent = c.t;
      line.querySelector(".quota-allowed").textContent = allowed;
      line.classList.toggle("text-danger", c.x > allowed);
      line.classList.toggle("fw-semibold", c.x > allowed);
    });
  }
  document.querySelectorAll("select.level").forEach(function (s) { s.addEventListener("change", recount); });
  recount();
})();
