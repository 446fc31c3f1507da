// The map page: district boundary, zones and parks from spaces:map_data. Names come from the data that
// operators and officers type, so every label is built as DOM text (textContent), never as HTML.
(function () {
  const el = document.getElementById("yq-map");
  if (!el || !window.L) return;
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: !!el.dataset.tileUrl });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  // Zone colours. Red is kept for the park markers alone, so that a zone never looks like a park.
  const palette = ["#0d6efd", "#6f42c1", "#d63384", "#fd7e14", "#20c997", "#0dcaf0", "#198754", "#795548", "#6610f2", "#ffc107", "#adb5bd"];

  function textElement(tag, text, className) {
    const node = document.createElement(tag);
    node.textContent = text == null ? "" : String(text);
    if (className) node.className = className;
    return node;
  }

  function zoneTooltip(properties) {
    return textElement("span", properties.name, "yq-map-label");
  }

  function parkPopup(properties) {
    const box = document.createElement("div");
    box.className = "yq-map-popup";
    const link = document.createElement("a");
    link.href = properties.url;
    link.appendChild(textElement("strong", properties.name));
    box.appendChild(link);
    const details = [properties.kind, properties.zone].filter(function (part) { return part; }).join(" · ");
    box.appendChild(textElement("div", details, "small text-secondary"));
    return box;
  }

  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    const boundary = L.geoJSON(data.boundary, { style: { color: "#343a40", weight: 2, fillColor: "#f8f9fa", fillOpacity: 0.6 } }).addTo(map);
    const zones = L.geoJSON(data.zones, {
      style: function (f) { return { color: palette[f.properties.id % palette.length], weight: 1.5, fillOpacity: 0.18, className: "yq-map-zone" }; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(zoneTooltip(f.properties), { sticky: true });
        layer.on("click", function () { window.location.assign(f.properties.url); });
      }
    }).addTo(map);
    const parks = L.geoJSON(data.parks, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 6, color: "#fff", weight: 1.5, fillColor: "#dc3545", fillOpacity: 0.9, className: "yq-map-park" }); },
      onEachFeature: function (f, layer) {
        layer.bindPopup(parkPopup(f.properties));
        layer.bindTooltip(zoneTooltip(f.properties));
      }
    }).addTo(map);
    // Layer names in the control are HTML in Leaflet: pass them as escaped text.
    const overlays = {};
    overlays[escapeText(data.labels.boundary)] = boundary;
    overlays[escapeText(data.labels.zones)] = zones;
    overlays[escapeText(data.labels.parks)] = parks;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    map.fitBounds(boundary.getBounds(), { padding: [10, 10] });
    el.dataset.ready = String(data.parks.features.length);
  });

  function escapeText(text) {
    return String(text == null ? "" : text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
})();
