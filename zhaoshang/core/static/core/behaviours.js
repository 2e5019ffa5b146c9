/* Small behaviours that templates ask for with data attributes, so that no page carries inline script
   (the Content-Security-Policy allows scripts from this site's files only):
     data-print              a button that prints the page
     data-submit-on-change   a form control whose change submits its form
     data-swap-status="429"  an htmx element whose answers of these statuses are swapped in like a success
                             (e.g. the inquiry form shows "too many inquiries" with what was typed). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("change", function (event) {
    var control = event.target.closest("[data-submit-on-change]");
    if (control && control.form) control.form.requestSubmit();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var element = event.detail.elt && event.detail.elt.closest("[data-swap-status]");
    if (!element) return;
    var statuses = element.getAttribute("data-swap-status").split(/\s+/);
    if (statuses.indexOf(String(event.detail.xhr.status)) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
