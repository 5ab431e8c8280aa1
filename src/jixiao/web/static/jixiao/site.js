// The site's only script besides htmx (the Content-Security-Policy allows no inline script):
// behaviour is declared with data- attributes and wired here by event delegation, so rows that
// htmx adds later work without any setup.
//   <form data-confirm="确定……？">           asks before submitting
//   <button data-move-row="-1|1">            moves its table row (a <tbody class="row">) up or down
//   <button data-remove-row>                 removes its table row
// A moved, removed or added row fires "rowschanged" on its form (the edit page re-scores on it).
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
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.tagName === "TABLE") rowsChanged(event.detail.target);
  });
})();
