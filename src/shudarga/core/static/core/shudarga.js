/* Shudarga: the little behaviour pages need, kept out of the HTML because the
   Content-Security-Policy allows no inline script, event handler or style attribute. */
(function () {
  "use strict";

  // Bars whose length is data: <div class="progress-bar" data-width="42.5">.
  function sizeBars(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll("[data-width]"));
    if (root.matches && root.matches("[data-width]")) {
      bars.push(root);
    }
    bars.forEach(function (bar) {
      var percent = parseFloat(bar.getAttribute("data-width"));
      if (!isNaN(percent)) {
        bar.style.width = Math.max(0, Math.min(100, percent)) + "%";
      }
    });
  }

  // Buttons that do by a page load what htmx does in place are hidden once htmx runs.
  function hideNoScript(root) {
    if (!window.htmx) { return; }
    Array.prototype.forEach.call(root.querySelectorAll(".sh-nojs"), function (el) {
      el.classList.add("d-none");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    sizeBars(document);
    hideNoScript(document);
  });
  document.addEventListener("htmx:load", function (event) { hideNoScript(event.target); });
  // Content htmx swaps in (the evidence bundle's progress) gets the same treatment.
  document.addEventListener("htmx:load", function (event) { sizeBars(event.target); });

  // The rule editor shows only the fields the chosen kind of rule reads.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("form[data-rule-form] select[name=kind]")) { return; }
    Array.prototype.forEach.call(select.form.querySelectorAll("[data-kinds]"), function (row) {
      var kinds = row.getAttribute("data-kinds").split(" ");
      row.classList.toggle("d-none", kinds.indexOf(select.value) === -1);
    });
  });

  // A one-time secret shown for copying is selected as soon as it gets the focus.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input[data-select-on-focus]")) {
      event.target.select();
    }
  });
})();
