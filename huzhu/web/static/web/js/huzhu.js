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
      dd.textContent = text || review.dataset.msgMissing;
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

  function init() {
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
