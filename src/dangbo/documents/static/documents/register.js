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
  let knownFor = organisation.value + "|" + issuedOn.value;

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

  async function refresh() {
    const key = organisation.value + "|" + issuedOn.value;
    if (key === knownFor && known[typeCode.value]) {
      say(known[typeCode.value], "");
      return;
    }
    const query = new URLSearchParams({ organisation: organisation.value, type_code: typeCode.value });
    if (issuedOn.value) query.set("on", issuedOn.value);
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

  showGroups();
  own.addEventListener("change", showGroups);
  [organisation, typeCode, issuedOn].forEach(function (field) { field.addEventListener("change", refresh); });
})();
