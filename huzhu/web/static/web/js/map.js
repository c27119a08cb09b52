/* Huzhu maps: Leaflet (vendor/leaflet, 1.9.4) over the server-drawn area (area_map.py).
 * Pages work without this file: the SVG and the list, or the district select, stay.
 * - [data-feed-map]: pan and zoom the posts of the map page, at their public points only
 *   (the server sends nothing finer).
 * - [data-map-picker]: choose a district (or a point) on the post form's map; it fills the
 *   same fields as the select and the coordinates below it.
 * No tiles unless the operator configured a tile URL (HUZHU_MAP_TILES). */
(function () {
  "use strict";

  function boundsOf(svg) {
    var b = svg.getAttribute("data-bounds").split(",").map(Number);
    return L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
  }

  // The server's SVG under Leaflet's layers, stretched to the bounds it was drawn for
  // (both are Web Mercator, so it lines up).
  function baseMap(container, svg) {
    var tiles = container.getAttribute("data-tiles");
    var map = L.map(container, { attributionControl: false, zoomSnap: 0.5 });
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
    }
    var overlay = svg.cloneNode(true);
    overlay.removeAttribute("id");
    overlay.setAttribute("preserveAspectRatio", "none");
    overlay.setAttribute("aria-hidden", "true");
    var pins = overlay.querySelector("[data-svg-markers]");
    if (pins) {
      pins.parentNode.removeChild(pins);
    }
    var bounds = boundsOf(svg);
    L.svgOverlay(overlay, bounds, { interactive: false }).addTo(map);
    map.fitBounds(bounds);
    return map;
  }

  function pin(className) {
    return L.divIcon({ className: className, iconSize: [20, 20], html: "" });
  }

  // Leaflet makes a marker a focusable role=button but leaves Enter and Space to us.
  function pressable(marker) {
    marker.getElement().addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        marker.fire("click");
      }
    });
  }

  function link(url, text) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  function initFeedMap(container) {
    var fallback = document.querySelector("[data-map-fallback]");
    var data = document.getElementById("map-markers");
    if (!fallback || !data || typeof L === "undefined") {
      return;
    }
    var markers = JSON.parse(data.textContent);
    container.hidden = false;
    var map = baseMap(container, fallback.querySelector("svg"));
    fallback.hidden = true;
    var points = [];
    markers.forEach(function (m) {
      var marker = L.marker([m.lat, m.lng], {
        icon: pin("map-pin map-pin--" + m.kind),
        title: m.title,
        alt: m.title,
        keyboard: true
      });
      marker.bindPopup(link(m.url, m.title));
      marker.addTo(map);
      pressable(marker);
      points.push([m.lat, m.lng]);
    });
    if (points.length) {
      // A city's districts and a few streets' worth of posts: close enough to tell the
      // posts apart, never closer than the public points mean anything.
      map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 12 });
    }
    var names = document.getElementById("map-districts");
    if (names) {
      JSON.parse(names.textContent).forEach(function (d) {
        var label = document.createElement("span");
        label.textContent = d.name;
        L.marker([d.lat, d.lng], {
          icon: L.divIcon({ className: "map-district map-district--label", html: label, iconSize: null }),
          interactive: false,
          keyboard: false,
          zIndexOffset: -1000  // under the posts' pins
        }).addTo(map);
      });
    }
  }

  function initPicker(box) {
    var form = box.closest("form");
    var data = document.getElementById("map-districts");
    var svg = box.querySelector("svg");
    if (!form || !data || !svg || typeof L === "undefined") {
      return;
    }
    var status = box.querySelector("[data-map-status]");
    var container = box.querySelector("[data-map-picker-map]");
    box.hidden = false;
    var map = baseMap(container, svg);
    // The whole city is too small to tell its central districts apart on a phone: start
    // on the centre; Tab to an outer district pans to it.
    var centre = box.getAttribute("data-centre").split(",").map(Number);
    map.fitBounds(L.latLng(centre[0], centre[1]).toBounds(16000));
    var districts = {};
    var chosenPoint = null;

    function say(text) {
      status.textContent = text;
    }
    function highlight(code) {
      Object.keys(districts).forEach(function (c) {
        var el = districts[c].getElement();
        if (el) {
          el.classList.toggle("map-district--on", c === code);
          el.setAttribute("aria-pressed", c === code ? "true" : "false");
        }
      });
    }
    function clearPoint() {
      if (chosenPoint) {
        map.removeLayer(chosenPoint);
        chosenPoint = null;
      }
    }
    function chooseDistrict(d) {
      form.elements.place.value = d.code;
      form.elements.lat.value = "";
      form.elements.lng.value = "";
      clearPoint();
      highlight(d.code);
      map.panTo([d.lat, d.lng]);
      say(box.getAttribute("data-msg-district") + " " + d.name);
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }

    JSON.parse(data.textContent).forEach(function (d) {
      var label = document.createElement("span");
      label.textContent = d.name;
      var marker = L.marker([d.lat, d.lng], {
        icon: L.divIcon({ className: "map-district", html: label, iconSize: null }),
        title: d.name,
        keyboard: true
      });
      marker.on("click", function () { chooseDistrict(d); });
      marker.addTo(map);
      pressable(marker);
      districts[d.code] = marker;
    });

    map.on("click", function (event) {
      var at = event.latlng;
      form.elements.place.value = "";
      form.elements.lat.value = at.lat.toFixed(5);
      form.elements.lng.value = at.lng.toFixed(5);
      highlight("");
      if (chosenPoint) {
        chosenPoint.setLatLng(at);
      } else {
        chosenPoint = L.marker(at, { icon: pin("map-pin map-pin--chosen"), keyboard: false }).addTo(map);
      }
      say(box.getAttribute("data-msg-point"));
      form.dispatchEvent(new Event("change", { bubbles: true }));
    });

    form.elements.place.addEventListener("change", function () {
      if (form.elements.place.value) {
        clearPoint();
      }
      highlight(form.elements.place.value);
    });
    highlight(form.elements.place.value);
  }

  function init() {
    document.querySelectorAll("[data-feed-map]").forEach(initFeedMap);
    document.querySelectorAll("[data-map-picker]").forEach(initPicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
