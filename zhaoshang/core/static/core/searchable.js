/* Searchable selects: a <select data-searchable> (long drop-downs and multiple choices, marked by
   core.forms.SearchableMixin) becomes a Tom Select box that filters its options as one types; several are chosen
   one by one and removed by their buttons, no Ctrl-click. The texts come translated in data attributes:
     data-searchable-placeholder  the hint in the empty search box
     data-searchable-no-results   shown when nothing matches
     data-searchable-remove       the title of the button removing one choice
   The label of the select names the search box (Tom Select moves it there); the keyboard works as in a select
   (arrows, Enter, Escape, Backspace). Selects that htmx swaps in are set up as they arrive. */
(function () {
  "use strict";
  if (typeof window.TomSelect !== "function") return;

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function setUp(select) {
    if (select.tomselect || select.disabled) return;
    var data = select.dataset;
    var multiple = select.multiple;
    var hasEmpty = !multiple && Array.prototype.some.call(select.options, function (option) { return option.value === ""; });
    var settings = {
      create: false,
      maxOptions: null,
      allowEmptyOption: hasEmpty,
      placeholder: data.searchablePlaceholder || "",
      hidePlaceholder: false,
      plugins: multiple ? { remove_button: { title: data.searchableRemove || "" } } : {},
      render: {
        no_results: function () {
          return '<div class="no-results">' + escapeText(data.searchableNoResults || "") + "</div>";
        }
      }
    };
    var control = new window.TomSelect(select, settings);
    // The form's own error state shows on the box that replaces the select.
    if (select.classList.contains("is-invalid")) control.wrapper.classList.add("is-invalid");
  }

  function setUpWithin(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("select[data-searchable]")) setUp(root);
    root.querySelectorAll("select[data-searchable]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpWithin(document); });
  } else {
    setUpWithin(document);
  }
  // htmx:load is fired for every element htmx adds to the page (a form swapped in, a fragment loaded).
  document.addEventListener("htmx:load", function (event) { setUpWithin(event.target); });
})();
