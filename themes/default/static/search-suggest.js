/* Suggestions as you type for search boxes with data-suggest-url (the header's).
   The box is a plain form that works without this script; the script makes it an
   ARIA 1.2 combobox with a listbox of titles: Up/Down choose, Enter opens the chosen
   title (or searches when none is chosen), Escape closes the list. */
(function () {
  "use strict";
  var DELAY = 150;
  var MIN_CHARS = 2;

  function enhance(input) {
    var form = input.form;
    var listId = input.id + "-goi-y";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gợi ý tìm kiếm");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      items.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found) {
      list.textContent = "";
      items = found.map(function (hit, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = hit.title;
        li.dataset.url = hit.url;
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
          window.location.href = hit.url;
        });
        list.appendChild(li);
        return li;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length + " gợi ý";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var text = input.value;
      if (text.trim().length < MIN_CHARS) {
        show([]);
        return;
      }
      if (pending) pending.abort();
      pending = new AbortController();
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(text);
      fetch(url, { signal: pending.signal, credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) {
          if (input.value === text) show(Array.isArray(found) ? found : []);
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { fetchSuggestions(); return; }
        event.preventDefault();
        choose(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        choose(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.href = items[active].dataset.url;
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () { close(); });
  }

  function start() {
    var boxes = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].form && boxes[i].id && window.fetch) enhance(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
