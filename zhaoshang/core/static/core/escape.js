/* The one way the platform's scripts put data into markup.

   Names of sites, parks, districts, chains, projects… are typed by people, and a string handed to innerHTML, to a
   Leaflet tooltip or popup (bindTooltip/bindPopup with a string set innerHTML) or returned by an ECharts tooltip
   formatter function is parsed as HTML. Such a string is built with window.zhaoshang.escapeHTML around every piece
   of data, so the name is shown as text, whatever it contains. Elements built with textContent/setAttribute need
   nothing more.

   The base template loads this file before any other script of the platform. */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function escapeHTML(value) {
    return String(value === undefined || value === null ? "" : value).replace(/[&<>"']/g, function (character) {
      return ENTITIES[character];
    });
  }

  var zhaoshang = (window.zhaoshang = window.zhaoshang || {});
  zhaoshang.escapeHTML = escapeHTML;
})();
