/* Searchable selects: a <select data-searchable> (long drop-downs and multiple choices, marked by
   core.forms.SearchableMixin) becomes a Tom Select box that filters its options as one types; several are chosen
   one by one and removed by their buttons, no Ctrl-click. The texts come translated in data attributes:
     data-searchable-placeholder  the hint in the empty search box
     data-searchable-no-results   shown when nothing matches
     data-searchable-remove       the title of the button removing one choice
     data-searchable-clear        the title of the button emptying a select that may stay empty
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
    if (select.classList.contains("tomselected")) {
      // a page htmx restored from its history: the box drawn before is a copy without its script; draw it anew
      var stale = select.nextElementSibling;
      if (stale && stale.classList.contains("ts-wrapper")) stale.remove();
      select.classList.remove("tomselected", "ts-hidden-accessible");
    }
    var data = select.dataset;
    var multiple = select.multiple;
    // The empty choice ("Choose…") is not an option to pick but the empty box; a select that may stay empty gets
    // a button that empties it (Backspace does too).
    var mayBeEmpty = !multiple && Array.prototype.some.call(select.options, function (option) { return option.value === ""; });
    var plugins = {};
    if (multiple) plugins.remove_button = { title: data.searchableRemove || "" };
    if (mayBeEmpty && !select.required) plugins.clear_button = { title: data.searchableClear || "" };
    var settings = {
      create: false,
      maxOptions: null,
      refreshThrottle: 0, // the options are on the page: filter at once, so Enter right after typing takes a match
      allowEmptyOption: false,
      clearAfterSelect: true, // a choice made, the next search starts from an empty box
      placeholder: data.searchablePlaceholder || "",
      hidePlaceholder: false,
      plugins: plugins,
      render: {
        no_results: function () {
          return '<div class="no-results">' + escapeText(data.searchableNoResults || "") + "</div>";
        }
      }
    };
    var control = new window.TomSelect(select, settings);
    // Tom Select gives the label to its search box; the select it hides from sight keeps its name too.
    var labelledBy = control.control_input.getAttribute("aria-labelledby");
    if (labelledBy) select.setAttribute("aria-labelledby", labelledBy);
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
