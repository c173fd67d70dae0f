/* Printing: every <details> prints open, and the "Print or save as PDF" button opens the print dialog.
   Closed <details> are opened on beforeprint and closed again on afterprint, so the page is left as
   the person had it. Without JavaScript, print.css shows their contents (::details-content) and the
   button stays hidden (templates/includes/print_hint.html). No inline script: the CSP allows none. */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
  document.querySelectorAll("button[data-print-page]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
    button.hidden = false;
  });
})();
