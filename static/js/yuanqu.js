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
      fetch(input.dataset.enterpriseSearch + "?q=" + encodeURIComponent(input.value.trim()), { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          const list = document.getElementById(input.getAttribute("list"));
          if (list) list.innerHTML = html;
        });
    }, 250);
  });
})();
