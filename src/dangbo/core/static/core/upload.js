// Refuses, before sending, a file larger than the server accepts (the server refuses it too).
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var max = Number(form.dataset.maxBytes);
  form.addEventListener("submit", function (event) {
    var file = input && input.files && input.files[0];
    var old = form.querySelector(".js-size-error");
    if (old) old.remove();
    if (file && max && file.size > max) {
      event.preventDefault();
      var note = document.createElement("div");
      note.className = "invalid-feedback d-block js-size-error";
      note.setAttribute("role", "alert");
      note.textContent = "Tệp “" + file.name + "” lớn quá " + Math.floor(max / 1048576).toLocaleString("vi-VN") +
        " MB nên không được nhận; hãy chia tệp thành nhiều phần.";
      input.insertAdjacentElement("afterend", note);
      input.focus();
    }
  });
})();
