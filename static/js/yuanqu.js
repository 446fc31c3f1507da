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
