/* The theme's additions to deform's form scripts; loaded (deferred) after them. */
(function () {
  "use strict";

  /* The widgets' deform.addCallback calls were queued by the stub in base.html while
     the (deferred) libraries loaded; deform.js replaced the stub, so hand them over.
     deform.load() runs them when the DOM is ready, after every deferred script. */
  if (window.deform && window.deformQueue) {
    window.deformQueue.forEach(function (call) {
      window.deform.addCallback(call[0], call[1]);
    });
    window.deformQueue = [];
  }

  /* Rich text: the field is a plain textarea until the editor first focuses or clicks
     it; only then is TinyMCE (over a megabyte) fetched and started in its place, with
     the caret in it. Until then the page carries none of it. */
  var tinymceState = null; /* null, "loading" or "ready" */
  var waiting = [];
  function startTinymce(options) {
    /* Its status bar (element path, resize handle) carries ARIA that axe rejects
       (aria-level on a button, aria-label on a role-less div). */
    window.tinymce.overrideDefaults({ statusbar: false });
    /* A ring round the editing area while it has the focus (off by default in 6). */
    options.highlight_on_focus = true;
    window.tinymce.init(options);
  }
  function loadTinymce(then) {
    if (tinymceState === "ready") { then(); return; }
    waiting.push(then);
    if (tinymceState === "loading") { return; }
    tinymceState = "loading";
    var script = document.createElement("script");
    script.src = (window.portalLazyScripts || {}).tinymce;
    script.onload = function () {
      tinymceState = "ready";
      waiting.splice(0).forEach(function (fn) { fn(); });
    };
    document.head.appendChild(script);
  }
  window.portalRichText = function (oid, options) {
    var area = document.getElementById(oid);
    if (!area) { return; }
    /* Fetch it as soon as the editor starts on the form, so it is there by the time
       they reach the body; a page only looked at never fetches it. */
    if (area.form) {
      var prefetch = function () {
        area.form.removeEventListener("focusin", prefetch);
        area.form.removeEventListener("pointerdown", prefetch);
        loadTinymce(function () {});
      };
      area.form.addEventListener("focusin", prefetch);
      area.form.addEventListener("pointerdown", prefetch);
    }
    function begin() {
      area.removeEventListener("focus", begin);
      area.removeEventListener("click", begin);
      /* Move the caret into the editor only if the field still has the focus (or lost
         it to the page because TinyMCE hid it): never pull it back from wherever the
         editor has tabbed on to while the editor loaded. */
      options.init_instance_callback = function (editor) {
        var active = document.activeElement;
        if (active === area || active === document.body || active === null) {
          editor.focus();
        }
      };
      loadTinymce(function () { startTinymce(options); });
    }
    area.addEventListener("focus", begin);
    area.addEventListener("click", begin);
  };

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
