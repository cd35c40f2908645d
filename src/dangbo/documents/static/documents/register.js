// The document form without reloading: show the fields of "our document" or "another body's", and
// keep the proposed number in step with the organisation, the type and the date. Without
// JavaScript the form still works: both groups show and the number is given when it is saved.
(function () {
  "use strict";
  const form = document.getElementById("document-form");
  if (!form) return;
  const own = form.querySelector("[name=own]");
  const organisation = form.querySelector("[name=organisation]");
  const typeCode = form.querySelector("[name=type_code]");
  const issuedOn = form.querySelector("[name=issued_on]");
  const box = document.getElementById("proposal");
  const data = document.getElementById("proposals-data");
  let known = data ? JSON.parse(data.textContent) : {};
  let knownFor = null; // set below, once isoDay is defined

  function showGroups() {
    form.querySelectorAll("[data-when-own]").forEach(function (group) {
      group.hidden = group.dataset.whenOwn !== own.value;
    });
  }

  function say(symbol, note) {
    box.textContent = "";
    if (symbol) {
      box.append(box.dataset.label);
      const strong = document.createElement("strong");
      strong.textContent = symbol;
      box.append(strong);
    }
    if (note) {
      const span = document.createElement("span");
      span.className = "small text-secondary ms-1";
      span.textContent = note;
      box.append(span);
    }
  }

  // The date box is day first (dd/mm/yyyy, as dangbo.core.dates reads it); the API takes ISO.
  // null: something typed that is no date yet (the server explains it when the form is sent).
  function isoDay(text) {
    text = text.normalize("NFKC").trim();
    if (!text) return "";
    let m = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
    let day, month, year;
    if (m) {
      [year, month, day] = [m[1], m[2], m[3]].map(Number);
    } else {
      m = text.match(/^(\d{1,2})(?:\s*[\/.\-]\s*|\s+)(\d{1,2})(?:\s*[\/.\-]\s*|\s+)(\d{4})$/) ||
        text.match(/^(\d{2})(\d{2})(\d{4})$/);
      if (!m) return null;
      [day, month, year] = [m[1], m[2], m[3]].map(Number);
    }
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
    return date.toISOString().slice(0, 10);
  }

  async function refresh() {
    const on = isoDay(issuedOn.value);
    if (on === null) {
      say("", "");
      return;
    }
    const key = organisation.value + "|" + on;
    if (key === knownFor && known[typeCode.value]) {
      say(known[typeCode.value], "");
      return;
    }
    const query = new URLSearchParams({ organisation: organisation.value, type_code: typeCode.value });
    if (on) query.set("on", on);
    try {
      const response = await fetch(form.dataset.nextNumberUrl + "?" + query, { headers: { Accept: "application/json" } });
      const body = await response.json();
      if (response.ok) {
        known = {};
        known[typeCode.value] = body.symbol;
        knownFor = key;
        say(body.symbol, "");
      } else {
        say("", Object.values(body).flat().join(" "));
      }
    } catch (error) {
      say("", "");
    }
  }

  knownFor = organisation.value + "|" + isoDay(issuedOn.value);
  showGroups();
  own.addEventListener("change", showGroups);
  [organisation, typeCode, issuedOn].forEach(function (field) { field.addEventListener("change", refresh); });
  // While typing: as soon as the box holds a whole date, not at every keystroke before.
  issuedOn.addEventListener("input", function () { if (isoDay(issuedOn.value)) refresh(); });
})();
