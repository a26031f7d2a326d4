// The error summary, as the GOV.UK Design System's ErrorSummary does it: after a failed
// submit the summary takes the focus, so a screen reader reads out the problems first,
// and a link in it moves the focus to its field and brings the field's question (label
// or legend) into view. Without JavaScript the summary and its links still work.
(function () {
  "use strict";
  var summary = document.querySelector('[data-module="govuk-error-summary"]');
  if (!summary) {
    return;
  }

  function questionOf(field) {
    var fieldset = field.closest("fieldset");
    if (fieldset) {
      var legend = fieldset.querySelector("legend");
      if (legend) {
        return legend;
      }
    }
    return document.querySelector('label[for="' + field.id + '"]') || field;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    questionOf(field).scrollIntoView();
    field.focus({ preventScroll: true });
  });

  if (!summary.hasAttribute("tabindex")) {
    summary.setAttribute("tabindex", "-1");
  }
  summary.focus();
})();
