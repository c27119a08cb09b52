/* Huzhu: small progressive enhancements. Every page works without this file.
 * - [data-geolocate] buttons fill the form's lat/lng from the browser's geolocation.
 * - [data-review] lists the post form's answers in its last step.
 * - registers the service worker (/sw.js): the shell cached, an offline page.
 * - [data-push-subscribe] subscribes this browser to web push (/api/v1/me/push-*). */
(function () {
  "use strict";

  function statusFor(button) {
    return button.parentElement.querySelector("[data-geo-status]");
  }

  function say(button, text) {
    var status = statusFor(button);
    if (status) {
      status.textContent = text || "";
    }
  }

  function initGeolocate(button) {
    if (!("geolocation" in navigator) || !button.form) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var form = button.form;
      button.disabled = true;
      say(button, button.dataset.msgLocating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.lat.value = position.coords.latitude.toFixed(5);
          form.elements.lng.value = position.coords.longitude.toFixed(5);
          if (form.elements.place) {
            form.elements.place.value = "";
          }
          button.disabled = false;
          say(button, button.dataset.msgFound);
          form.dispatchEvent(new Event("change", { bubbles: true }));
          if (button.hasAttribute("data-geolocate-submit")) {
            form.requestSubmit();
          }
        },
        function () {
          button.disabled = false;
          say(button, button.dataset.msgFailed);
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  function labelOf(input) {
    var label = input.closest("label");
    return label ? label.textContent.trim() : input.value;
  }

  function answer(form, name) {
    var parts = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) {
          parts.push(labelOf(el));
        }
      } else if (el.tagName === "SELECT") {
        if (el.value) {
          parts.push(el.options[el.selectedIndex].text);
        }
      } else if (el.value.trim()) {
        parts.push(el.value.trim());
      }
    });
    return parts.join(", ");
  }

  function whereAnswer(form, review) {
    if (form.elements.lat.value && form.elements.lng.value) {
      return review.dataset.msgMyLocation;
    }
    return answer(form, "place");
  }

  function fillReview(form, review) {
    review.querySelectorAll("[data-review-of]").forEach(function (dd) {
      var names = dd.dataset.reviewOf.split(" ");
      var text;
      if (names[0] === "where") {
        text = whereAnswer(form, review);
      } else if (dd.hasAttribute("data-review-join")) {
        text = names.map(function (n) { return answer(form, n); }).filter(Boolean).join(" ");
      } else {
        text = names.map(function (n) { return answer(form, n); }).filter(Boolean)[0];
      }
      // A blank answer the server fills in (the title) says so instead of "not given yet".
      dd.textContent = text || dd.dataset.msgMissing || review.dataset.msgMissing;
      dd.classList.toggle("review-missing", !text);
    });
  }

  function initReview(form) {
    var review = form.querySelector("[data-review]");
    if (!review) {
      return;
    }
    review.hidden = false;
    var update = function () { fillReview(form, review); };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (part) {
      return part.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.split("=")[1]) : "";
  }

  function urlBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function initPush(box) {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
      return; /* this browser cannot: the texts and e-mail still reach you */
    }
    box.hidden = false;
    var status = box.querySelector("[data-push-status]");
    box.querySelector("button").addEventListener("click", function () {
      var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
      Promise.all([
        navigator.serviceWorker.ready,
        fetch("/api/v1/me/push-key", { credentials: "same-origin" }).then(function (r) { return r.json(); })
      ]).then(function (both) {
        return both[0].pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBytes(both[1].key) });
      }).then(function (subscription) {
        return fetch("/api/v1/me/push-subscriptions", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : cookie("csrftoken") },
          body: JSON.stringify(subscription.toJSON())
        });
      }).then(function (answer) {
        status.textContent = answer.ok ? "✓" : "✗";
      }).catch(function () {
        status.textContent = "✗";
      });
    });
  }

  // Pages show times in the reader's zone (huzhu/web/timezones.py): tell the server the
  // browser's, for the next page.
  function rememberTimeZone() {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone) { return; }
    var cookie = "huzhu_tz=" + encodeURIComponent(zone);
    if (document.cookie.split("; ").indexOf(cookie) < 0) {
      document.cookie = cookie + "; path=/; max-age=31536000; SameSite=Lax";
    }
  }

  // Switching language reloads the page: keep what the person typed in its forms (in this
  // tab only, and never passwords or hidden fields), and put it back after the reload.
  var TYPED = "huzhu-typed:";
  function pageForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" &&
        !form.classList.contains("language-switch");
    });
  }
  function kept(el) {
    return el.name && ["password", "hidden", "file", "submit", "button"].indexOf(el.type) < 0;
  }
  function saveTyped() {
    var saved = pageForms().map(function (form) {
      var fields = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!kept(el)) { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) { (fields[el.name] = fields[el.name] || []).push(el.value); }
        } else if (el.value) {
          fields[el.name] = [el.value];
        }
      });
      return fields;
    });
    try { sessionStorage.setItem(TYPED + location.pathname, JSON.stringify(saved)); } catch (e) { /* private mode */ }
  }
  function restoreTyped() {
    var raw = null;
    try {
      raw = sessionStorage.getItem(TYPED + location.pathname);
      sessionStorage.removeItem(TYPED + location.pathname);
    } catch (e) { return; }
    if (!raw) { return; }
    var saved = JSON.parse(raw);
    pageForms().forEach(function (form, index) {
      var fields = saved[index];
      if (!fields) { return; }
      Array.prototype.forEach.call(form.elements, function (el) {
        var values = fields[el.name];
        if (!kept(el) || !values) { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = values.indexOf(el.value) >= 0;
        } else {
          el.value = values[0];
        }
      });
      form.dispatchEvent(new Event("change"));
    });
  }

  // Only the fields the chosen kind uses: a need has no expiry date to type; nor the typed
  // name and category once an item is chosen from the list.
  function initKindFields(form) {
    var update = function () {
      var chosen = form.querySelector("input[name=kind]:checked");
      form.querySelectorAll("[data-kind-only]").forEach(function (part) {
        part.hidden = !!chosen && part.getAttribute("data-kind-only") !== chosen.value;
      });
      // An item from the list (or a big button) names itself and its category.
      var item = form.elements.namedItem("item");  // not .item: that is the collection's method
      form.querySelectorAll("[data-unless-item]").forEach(function (part) {
        part.hidden = !!(item && item.value);
      });
    };
    form.addEventListener("change", update);
    update();
  }

  function init() {
    rememberTimeZone();
    document.querySelectorAll("form[data-post-form]").forEach(initKindFields);
    restoreTyped();
    document.querySelectorAll("form.language-switch").forEach(function (form) {
      form.addEventListener("submit", saveTyped);
    });
    document.querySelectorAll("[data-push-subscribe]").forEach(initPush);
    document.querySelectorAll("[data-geolocate]").forEach(initGeolocate);
    document.querySelectorAll("form[data-post-form]").forEach(initReview);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js").catch(function () {
        /* an app shell is a nicety: the site works without it */
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
