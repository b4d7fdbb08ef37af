// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // Trainer directory: "Use my location" (optional; the city picker always works).
  var form = document.querySelector("form[data-directory]");
  if (form) {
    var button = form.querySelector("[data-near-me]");
    var status = form.querySelector("[data-near-me-status]");
    var lat = form.querySelector("[data-lat]");
    var lng = form.querySelector("[data-lng]");
    var city = form.querySelector("#f-near");
    var order = form.querySelector("#f-order");
    if (button && "geolocation" in navigator) {
      button.hidden = false;
      button.addEventListener("click", function () {
        status.textContent = "Finding your location…";
        navigator.geolocation.getCurrentPosition(
          function (position) {
            lat.value = position.coords.latitude.toFixed(4);
            lng.value = position.coords.longitude.toFixed(4);
            city.value = "";
            order.value = "DISTANCE";
            form.submit();
          },
          function () {
            status.textContent = "Your location is not available. Choose a city instead.";
            city.focus();
          },
          { timeout: 10000, maximumAge: 600000 }
        );
      });
    }
    if (city) {
      city.addEventListener("change", function () {
        // A chosen city replaces a located position.
        lat.value = "";
        lng.value = "";
      });
    }
  }

  // Search: type-ahead suggestions in the input's datalist.
  var search = document.querySelector("form[data-suggestions]");
  if (search) {
    var input = search.querySelector("input[name=q]");
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var prefix = input.value.trim();
        if (prefix === last || prefix.length < 2) { return; }
        last = prefix;
        var url = search.getAttribute("data-suggestions") + "?prefix=" + encodeURIComponent(prefix);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (body) {
            list.textContent = "";
            body.suggestions.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.title;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 150);
    });
  }

  // Articles: count this view (POST /api/views/, answered 204; the API
  // counts each reader once a day and ignores bots and prefetches).
  var counted = document.querySelector("[data-view-beacon][data-article-id]");
  if (counted && navigator.sendBeacon && document.visibilityState !== "prerender") {
    try {
      navigator.sendBeacon(
        counted.getAttribute("data-view-beacon"),
        JSON.stringify({ article: counted.getAttribute("data-article-id") })
      );
    } catch (error) { /* counting is optional */ }
  }
})();
