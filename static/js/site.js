// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Close the phone menu when a link inside it is followed to an anchor on the same page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".nav-mobile a");
    if (link) {
      var menu = link.closest("details");
      if (menu) menu.open = false;
    }
  });
})();
