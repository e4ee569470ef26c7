/* The theme's additions to deform's form scripts; loaded (deferred) after them. */
(function () {
  "use strict";

  /* Rich text (TinyMCE): its status bar (element path, resize handle) carries ARIA
     that axe rejects (aria-level on a button, aria-label on a role-less div). */
  if (window.tinymce) {
    window.tinymce.overrideDefaults({ statusbar: false });
  }

  /* Sequences: the theme's sequence.pt writes deform's bookkeeping as valid data-*
     attributes (data-prototype, data-now_len, ...); deform.js reads the bare names,
     so copy them over once, and again before each add or remove (items added from
     a prototype may hold sequences of their own). */
  var NAMES = ["prototype", "min_len", "max_len", "now_len", "orderable"];
  function sync() {
    NAMES.forEach(function (name) {
      var nodes = document.querySelectorAll("[data-" + name + "]");
      Array.prototype.forEach.call(nodes, function (node) {
        if (!node.hasAttribute(name)) {
          node.setAttribute(name, node.getAttribute("data-" + name));
        }
      });
    });
  }
  if (window.deform) {
    sync();
    ["addSequenceItem", "appendSequenceItem", "removeSequenceItem"].forEach(function (fn) {
      var original = window.deform[fn];
      if (typeof original === "function") {
        window.deform[fn] = function () {
          sync();
          return original.apply(this, arguments);
        };
      }
    });
  }
})();
