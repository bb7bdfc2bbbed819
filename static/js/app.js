// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After following a skip link, move focus to its target (the main region, or the step
  // list of a case) for screen readers.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.hash.slice(1));
    if (target) {
      target.focus();
    }
  });
})();

// Print buttons: <button data-print>.
document.addEventListener("click", function (event) {
  "use strict";
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
