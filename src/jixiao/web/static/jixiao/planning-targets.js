// The targets editor of a declaration: add a row, fill an indicator from the library as its name is typed.
// A static file, not inline: the Content-Security-Policy runs no inline script.
(function () {
  const body = document.querySelector("#ind-table tbody"), count = document.getElementById("ind-count");
  document.getElementById("add-row").addEventListener("click", function () {
    const last = body.lastElementChild, copy = last.cloneNode(true), n = Number(count.value);
    copy.querySelectorAll("input,select").forEach(function (el) {
      el.name = el.name.replace(/^ind-\d+-/, "ind-" + n + "-"); if (el.type === "checkbox") { el.checked = false; } else if (el.tagName === "INPUT") { el.value = ""; }
    });
    body.appendChild(copy); count.value = n + 1;
  });
  // An indicator of a like project: into the last row if it is empty, else a new row.
  document.querySelectorAll(".use-similar").forEach(function (button) {
    button.addEventListener("click", function () {
      let last = body.lastElementChild;
      if (last.querySelector("input[name$='-name']").value) { document.getElementById("add-row").click(); last = body.lastElementChild; }
      const fill = JSON.parse(button.dataset.fill);
      Object.keys(fill).forEach(function (f) { const x = last.querySelector("[name$='-" + f + "']"); if (x) { x.value = fill[f]; } });
      button.disabled = true; button.textContent = "已选用";
    });
  });
  const list = document.getElementById("library"); let found = {};
  body.addEventListener("input", function (event) {
    const el = event.target; if (!el.name || !el.name.endsWith("-name")) { return; }
    const hit = found[el.value];
    if (hit) {
      const prefix = el.name.slice(0, -4), set = function (f, v) { const x = document.querySelector("[name='" + prefix + f + "']"); if (x && v !== null && v !== undefined && (x.tagName === "SELECT" || !x.value)) { x.value = v; } };
      set("level1", hit.level1); set("level2", hit.level2); set("comparator", hit.comparator); set("unit", hit.unit); set("library_code", hit.code); set("basis", hit.basis);
      return;
    }
    if (el.value.length < 1) { return; }
    fetch(body.closest("table").dataset.libraryUrl + "?q=" + encodeURIComponent(el.value)).then(function (r) { return r.json(); }).then(function (data) {
      list.innerHTML = ""; found = {};
      data.results.forEach(function (hit) { found[hit.name] = hit; const o = document.createElement("option"); o.value = hit.name; o.label = hit.level2 + " · " + (hit.typical || []).join("、") + " · " + hit.category; list.appendChild(o); });
    });
  });
})();
