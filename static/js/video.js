// Article videos: a link to YouTube until the visitor presses play, then a youtube-nocookie
// player in its place. Nothing is requested from YouTube before that press.
(function () {
  "use strict";
  var ID = /^[A-Za-z0-9_-]{11}$/;

  function play(link) {
    var id = link.getAttribute("data-video-id");
    if (!ID.test(id || "")) return false;
    var frame = document.createElement("iframe");
    frame.src = "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1&rel=0";
    frame.title = link.getAttribute("data-video-title") || "Video";
    frame.allow = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "video-frame";
    link.replaceWith(frame);
    frame.focus();
    return true;
  }

  document.querySelectorAll("a.video-facade").forEach(function (link) {
    // It acts in place, so it is announced as a button; Space presses it like one.
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      if (play(link)) event.preventDefault();
    });
    link.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        play(link);
      }
    });
  });
})();
