// Bulk edit and bulk delete on list pages (core/surfaces/bulk.py). A row's checkbox ticks it; the header's ticks every
// row on the page; once the whole page is ticked, a link offers every record the filter matches, which the
// server then selects again by the filter itself (select_all), never by ids sent from here. The bar with the
// buttons shows only while something is selected. Text only: every label is set with textContent.
(function () {
  function bulkForm(element) {
    return element && element.closest ? element.closest("form[data-bulk]") : null;
  }

  function rows(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[data-bulk-row]"));
  }

  function refresh(form) {
    const boxes = rows(form);
    const ticked = boxes.filter(function (box) { return box.checked; }).length;
    const all = form.querySelector("input[data-bulk-all]");
    const everything = all.value === "1";
    const total = parseInt(form.dataset.bulkTotal, 10) || 0;
    const pageBox = form.querySelector("input[data-bulk-page]");
    if (pageBox) {
      pageBox.checked = boxes.length > 0 && ticked === boxes.length;
      pageBox.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    form.querySelector("[data-bulk-bar]").hidden = ticked === 0 && !everything;
    const text = everything ? form.dataset.textAll : form.dataset.textSome;
    form.querySelector("[data-bulk-count]").textContent = text.replace("{n}", String(everything ? total : ticked));
    const offer = form.querySelector("[data-bulk-select-all]");
    offer.hidden = everything || boxes.length === 0 || ticked !== boxes.length || total <= boxes.length;
    form.querySelector("[data-bulk-clear-all]").hidden = !everything;
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    const form = bulkForm(target);
    if (!form || !target.matches("input[data-bulk-row], input[data-bulk-page]")) return;
    if (target.matches("input[data-bulk-page]")) {
      rows(form).forEach(function (box) { box.checked = target.checked; });
    }
    form.querySelector("input[data-bulk-all]").value = "";  // a changed tick means these rows, not the filter
    refresh(form);
  });

  document.addEventListener("click", function (event) {
    const target = event.target;
    const form = bulkForm(target);
    if (!form) return;
    if (target.matches("[data-bulk-select-all]")) {
      form.querySelector("input[data-bulk-all]").value = "1";
      refresh(form);
    } else if (target.matches("[data-bulk-clear-all]")) {
      form.querySelector("input[data-bulk-all]").value = "";
      rows(form).forEach(function (box) { box.checked = false; });
      refresh(form);
    }
  });

  // Going back to a list keeps the browser's ticks: show the bar for them.
  function refreshAll(root) {
    root.querySelectorAll("form[data-bulk]").forEach(refresh);
  }
  document.addEventListener("htmx:afterSwap", function (event) { refreshAll(event.target); });
  window.addEventListener("pageshow", function () { refreshAll(document); });

  // The bulk edit page: giving a field a value ticks it (only ticked fields are set).
  function tickField(event) {
    const row = event.target.closest ? event.target.closest("[data-bulk-field]") : null;
    if (!row || event.target.matches("[data-bulk-set]")) return;
    const set = row.querySelector("[data-bulk-set]");
    if (set) set.checked = true;
  }
  document.addEventListener("input", tickField);
  document.addEventListener("change", tickField);
})();
