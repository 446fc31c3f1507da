// Dependent selects: a unit's floor follows its building; a lease's units follow the chosen building.
document.addEventListener("change", function (event) {
  const target = event.target;
  if (target.name !== "building" || !target.form) return;
  const floor = target.form.querySelector("select[name=floor][data-depends-on=building]");
  if (floor && window.htmx) {
    htmx.ajax("GET", floor.dataset.optionsUrl + "?building=" + encodeURIComponent(target.value), { target: floor, swap: "innerHTML" });
  }
  const units = target.form.querySelector("#yq-unit-options");
  if (units && window.htmx) {
    htmx.ajax("GET", units.dataset.optionsUrl + "?building=" + encodeURIComponent(target.value), { target: units, swap: "innerHTML" });
  }
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
