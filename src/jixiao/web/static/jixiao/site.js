// The site's only script besides htmx (the Content-Security-Policy allows no inline script):
// behaviour is declared with data- attributes and wired here by event delegation, so rows that
// htmx adds later work without any setup.
//   <form data-confirm="确定……？">           asks before submitting
//   <button data-move-row="-1|1">            moves its table row (a <tbody class="row">) up or down
//   <button data-remove-row>                 removes its table row
// A moved, removed or added row fires "rowschanged" on its form (the edit page re-scores on it).
// Every <input type="file"> gets a "选择文件" button and the chosen file's name beside it: the
// browser's own control speaks the browser's language ("Choose File · No file chosen").
(function () {
  "use strict";
  function rowsChanged(element) {
    var form = element && element.closest("form");
    if (form) form.dispatchEvent(new Event("rowschanged"));
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-move-row],[data-remove-row]");
    if (!button) return;
    var row = button.closest("tbody");
    if (!row) return;
    var form = row.closest("form");
    if (button.hasAttribute("data-remove-row")) {
      row.remove();
      rowsChanged(form);
      return;
    }
    var step = Number(button.getAttribute("data-move-row"));
    var other = step < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (!other || other.tagName !== "TBODY") return;
    if (step < 0) row.parentNode.insertBefore(row, other); else row.parentNode.insertBefore(other, row);
    rowsChanged(form);
  });
  function filePicker(input) {
    var button = document.createElement("button");
    var name = document.createElement("span");
    button.type = "button";
    button.className = "file-choose";
    button.textContent = "选择文件";
    var label = input.getAttribute("aria-label") || (input.labels && input.labels[0] && input.labels[0].textContent.trim());
    if (label) button.setAttribute("aria-label", "选择文件：" + label);
    name.className = "file-name";
    name.setAttribute("aria-live", "polite");
    name.textContent = "未选择文件";
    input.classList.add("sr-only");
    input.tabIndex = -1;  // the button takes the keyboard; the input stays in the form (and its validation)
    input.after(button, name);
    button.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
      name.textContent = names.length ? names.join("、") : "未选择文件";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[type=file]").forEach(filePicker);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.tagName === "TABLE") rowsChanged(event.detail.target);
  });
})();
