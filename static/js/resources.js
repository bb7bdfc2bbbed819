// The social map, enhanced. Every page works without this file: the filter form is a plain
// GET form, the handout ticks a plain POST form.
(function () {
  "use strict";

  // After htmx swapped in new results, tell screen-reader users how many there are now (the
  // live region lives outside the swapped part, so it is announced).
  document.addEventListener("htmx:afterSwap", function () {
    var count = document.getElementById("map-count");
    var live = document.getElementById("map-live");
    if (count && live) {
      live.textContent = count.getAttribute("data-live-text") || count.textContent.trim();
    }
  });

  // The printable handout's "Afdrukken" button.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-action='print']");
    if (button) {
      window.print();
    }
  });
})();
