/* The compare tray of the public pages: the sites an investor picked to compare (at most four), kept in the
   browser's localStorage, with their count and a link to the comparison in the navigation bar.

   Markup it reads (no inline script: the Content-Security-Policy allows this site's files only):
     [data-compare-tray]        the tray (hidden until a site is picked); its data-* carry the comparison's address,
                                the most sites, and the translated texts
     [data-compare-toggle=ID]   a site's "Compare" control (a link to /compare/?sites=ID without JavaScript), with
                                data-compare-name; it becomes a toggle button (aria-pressed)
     [data-compare-page]        the comparison page: the sites it shows ([data-compare-site=ID]) become the tray's
   Pages that draw toggles later (the map's list) call window.zhaoshang.compare.sync(). */
(function () {
  "use strict";
  var KEY = "zhaoshang.compare";
  var tray = document.querySelector("[data-compare-tray]");
  if (!tray) return;
  var max = parseInt(tray.getAttribute("data-max"), 10) || 4;
  var url = tray.getAttribute("data-url");
  var link = tray.querySelector("[data-compare-link]");
  var count = tray.querySelector("[data-compare-count]");
  var messageTimer = null;

  function read() {
    try {
      var data = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(data) ? data.filter(function (item) { return item && /^\d+$/.test(String(item.id)); }) : [];
    } catch (error) {
      return [];
    }
  }

  function write(items) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(items.slice(0, max)));
    } catch (error) {
      /* storage refused (private browsing): the tray lasts for this page only */
    }
  }

  function has(items, id) {
    return items.some(function (item) { return String(item.id) === String(id); });
  }

  function address(items) {
    if (!items.length) return url;
    return url + "?" + items.map(function (item) { return "sites=" + encodeURIComponent(item.id); }).join("&");
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) { return key in values ? String(values[key]) : match; });
  }

  function message(text) {
    var box = document.getElementById("compare-message");
    if (!box) {
      box = document.createElement("div");
      box.id = "compare-message";
      box.className = "alert alert-warning text-body position-fixed bottom-0 end-0 m-3 shadow compare-message";
      box.style.zIndex = "1080"; // above the map's panes (CSSOM, which the Content-Security-Policy allows)
      box.setAttribute("role", "status");
      box.setAttribute("data-testid", "compare-message");
      document.body.appendChild(box);
    }
    box.textContent = text;
    box.hidden = false;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(function () { box.hidden = true; }, 8000);
  }

  function sync(root) {
    var items = read();
    count.textContent = String(items.length);
    link.href = address(items);
    tray.hidden = items.length === 0;
    (root || document).querySelectorAll("[data-compare-toggle]").forEach(function (toggle) {
      var on = has(items, toggle.getAttribute("data-compare-toggle"));
      var name = toggle.getAttribute("data-compare-name") || "";
      if (toggle.tagName === "A") toggle.setAttribute("role", "button");
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.setAttribute("aria-label", format(tray.getAttribute("data-label-named"), { name: name }));
      toggle.textContent = tray.getAttribute("data-label-add");
      if (on) {
        var mark = document.createElement("span");
        mark.setAttribute("aria-hidden", "true");
        mark.textContent = "✓\u00a0"; // a space the button's flex layout keeps
        toggle.prepend(mark);
      }
      toggle.classList.toggle("active", on);
    });
  }

  function toggle(control) {
    var id = control.getAttribute("data-compare-toggle");
    var items = read();
    if (has(items, id)) {
      items = items.filter(function (item) { return String(item.id) !== String(id); });
    } else if (items.length >= max) {
      message(format(tray.getAttribute("data-label-full"), { max: max }));
      return;
    } else {
      items.push({ id: Number(id), name: control.getAttribute("data-compare-name") || "" });
    }
    write(items);
    sync();
  }

  document.addEventListener("click", function (event) {
    var control = event.target.closest("[data-compare-toggle]");
    if (!control) return;
    event.preventDefault();
    event.stopPropagation();
    toggle(control);
  });
  document.addEventListener("keydown", function (event) {
    // a link acting as a button answers the space bar too
    var control = event.target.closest("a[data-compare-toggle]");
    if (control && event.key === " ") {
      event.preventDefault();
      toggle(control);
    }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) sync();
  });

  // The comparison page shows what is compared: the tray becomes its sites.
  var page = document.querySelector("[data-compare-page]");
  if (page) {
    var shown = [];
    page.querySelectorAll("[data-compare-site]").forEach(function (node) {
      var id = Number(node.getAttribute("data-compare-site"));
      if (!has(shown, id)) shown.push({ id: id, name: node.getAttribute("data-compare-name") || "" });
    });
    if (shown.length) write(shown);
  }

  var zhaoshang = (window.zhaoshang = window.zhaoshang || {});
  zhaoshang.compare = { sync: sync, read: read };
  sync();
})();
