/* The public search box: suggestions as you type, in the ARIA combobox pattern (input role=combobox + listbox).
 *
 * Up/Down move through the suggestions, Enter opens the one chosen (or submits the form to the results page when
 * none is), Escape closes the list. Without JavaScript the form still submits to the results page. Suggestions are
 * written with textContent: names are user data and never become HTML.
 */
(function () {
  "use strict";

  var DELAY = 150;

  function setup(form) {
    if (form.dataset.suggestBound) return;
    form.dataset.suggestBound = "1";
    var input = form.querySelector("[role=combobox]");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector("[data-suggest-status]");
    var url = form.dataset.suggestUrl;
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = item.url;
        var kind = document.createElement("span");
        kind.className = "portal-suggestion-kind";
        kind.textContent = item.kind_label;
        var label = document.createElement("span");
        label.className = "portal-suggestion-label";
        label.textContent = item.label;
        option.appendChild(kind);
        option.appendChild(label);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
        });
        option.addEventListener("click", function () {
          window.location.assign(item.url);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      if (status) {
        status.textContent = found.length
          ? status.dataset.textCount.replace("%(count)s", String(found.length))
          : status.dataset.textNone;
      }
    }

    function ask() {
      var query = input.value.trim();
      if (!query) {
        show([]);
        return;
      }
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (ticket === asked) show(data.results || []);
        })
        .catch(function () {
          if (ticket === asked) show([]);
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          ask();
          return;
        }
        choose(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        choose(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(items[active].url);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  function init() {
    document.querySelectorAll("form.portal-search[data-suggest-url]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
