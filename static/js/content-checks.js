// The article's checklist (blog.content_checks) follows what staff type: the form as it stands is
// posted to the admin's checks endpoint, which answers the list's HTML. Without JavaScript the
// list shows the checks of the saved article, and saving runs them again.
(function () {
  "use strict";

  var DELAY = 400;

  function start() {
    var box = document.querySelector("[data-content-checks]");
    var form = box && box.closest("form");
    if (!form) return;
    var objectId = (window.location.pathname.match(/\/(\d+)\/change\/$/) || [])[1] || "";
    var timer = null;
    var latest = 0;

    function refresh() {
      var data = new FormData(form);
      // Files stay out: the checks read text only, and an image may be large.
      Array.from(data.keys()).forEach(function (key) {
        if (data.get(key) instanceof File) data.delete(key);
      });
      data.set("object_id", objectId);
      var request = ++latest;
      fetch(box.dataset.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error("checks: " + response.status);
          return response.json();
        })
        .then(function (result) {
          if (request === latest) box.innerHTML = result.html;
        })
        .catch(function () {
          // The checks also run on save: a failed refresh leaves the last list in place.
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
