// The rich-text editor's editable area is a <div> with no accessible name: give it the label of
// the field it edits, so screen readers announce "Body, edit text" rather than nothing.
(function () {
  "use strict";

  function labelFor(editable) {
    var wrapper = editable.closest(".prose-editor");
    var field = wrapper && wrapper.querySelector("textarea[id]");
    var label = field && document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "Article text";
  }

  function nameEditors() {
    document.querySelectorAll(".tiptap[contenteditable]:not([aria-label])").forEach(function (editable) {
      editable.setAttribute("aria-label", labelFor(editable));
      editable.setAttribute("role", "textbox");
      editable.setAttribute("aria-multiline", "true");
    });
  }

  new MutationObserver(nameEditors).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameEditors);
})();
