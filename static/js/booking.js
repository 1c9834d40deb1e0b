// The booking form, sent in place: without this file it posts and lands on the thank-you page.
(function () {
  "use strict";
  var region = document.getElementById("enquiry-region");
  if (!region || !window.fetch || !window.FormData) return;

  function focusOutcome() {
    var outcome = document.getElementById("form-outcome");
    if (outcome) {
      outcome.focus();
      outcome.scrollIntoView({ block: "start" });
    }
  }

  function showFailure(form) {
    var template = document.getElementById("enquiry-failure");
    var old = document.getElementById("form-outcome");
    if (old) old.remove();
    form.prepend(template.content.cloneNode(true));
    focusOutcome();
  }

  region.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-enquiry-form]");
    if (!form) return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    var button = form.querySelector("[type=submit]");
    form.setAttribute("aria-busy", "true");
    if (button) button.disabled = true;

    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        // The server's own markup: the thank-you message, or the form with its errors.
        region.innerHTML = data.html;
        focusOutcome();
      })
      .catch(function () {
        form.removeAttribute("aria-busy");
        if (button) button.disabled = false;
        showFailure(form);
      });
  });
})();
