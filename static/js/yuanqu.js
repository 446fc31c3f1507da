// Dependent choices: an element with data-depends-on="<field>" and data-options-url reloads its options
// when that field of the same form changes (a unit's floor follows its building, a lease's units follow
// the building, the unit list's building filter follows the park).
document.addEventListener("change", function (event) {
  const target = event.target;
  if (!target.form || !target.name || !window.htmx) return;
  target.form.querySelectorAll('[data-depends-on="' + target.name + '"]').forEach(function (dependent) {
    const url = dependent.dataset.optionsUrl + "?" + target.name + "=" + encodeURIComponent(target.value);
    htmx.ajax("GET", url, { target: dependent, swap: "innerHTML" });
  });
});

// Long choice lists (a city's parks): the select holds only the chosen value until it is first used, then
// loads every option from data-options-lazy, keeping the selection.
document.addEventListener("focusin", function (event) {
  const select = event.target;
  if (!select.dataset || !select.dataset.optionsLazy || select.dataset.loaded || !window.htmx) return;
  if (select.options.length > 2) { select.dataset.loaded = "1"; return; }  // the whole list is already there
  select.dataset.loaded = "1";
  htmx.ajax("GET", select.dataset.optionsLazy + "?selected=" + encodeURIComponent(select.value),
            { target: select, swap: "innerHTML" });
});

// Enterprise fields: suggest up to 20 matches (name, pinyin, initials or credit code) as the user types.
(function () {
  let timer = null;
  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!input.dataset || !input.dataset.enterpriseSearch) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      const list = document.getElementById(input.getAttribute("list"));
      // The server renders the options (its templates escape every name); htmx swaps them in.
      if (list && window.htmx) {
        htmx.ajax("GET", input.dataset.enterpriseSearch + "?q=" + encodeURIComponent(input.value.trim()),
                  { target: list, swap: "innerHTML" });
      }
    }, 250);
  });
})();

// A select marked data-autosubmit submits its form when changed (the language switch).
document.addEventListener("change", function (event) {
  const target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) target.form.requestSubmit();
});

// A form marked data-confirm asks before it is sent (undoing an import, for instance).
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// A list page's filter controls get Bootstrap's small sizes (django-filter renders bare widgets).
function yqStyleFilterControls(root) {
  root.querySelectorAll(".yq-filter select, .yq-filter input:not([type=search]):not([type=hidden])").forEach(function (el) {
    if (el.tagName === "SELECT") {
      el.classList.add("form-select", "form-select-sm");
      el.classList.remove("form-control", "form-control-sm");
    } else if (el.type !== "checkbox" && el.type !== "radio") {
      el.classList.add("form-control", "form-control-sm");
    }
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", function () { yqStyleFilterControls(document); });
} else {
  yqStyleFilterControls(document);
}
