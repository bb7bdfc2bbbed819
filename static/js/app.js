// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After following the skip link, move focus into the main region for screen readers.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (!link) {
      return;
    }
    var main = document.getElementById("main");
    if (main) {
      main.focus();
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
