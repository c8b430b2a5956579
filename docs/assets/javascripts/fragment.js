// Blocks beyond the first screen are laid out lazily (content-visibility: auto in extra.css),
// so the browser's first scroll to a #fragment far down the page measures the blocks around
// it by their estimated height; once they are rendered the target sits elsewhere. Scroll to it
// again after each rendering, until it stays put (at most a few frames), unless the reader has
// scrolled in between. tests/browser/test_pages.py checks that the target ends up in view.
(function () {
  "use strict";

  function settle(triesLeft, expectedScroll) {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || (expectedScroll !== undefined && Math.abs(window.scrollY - expectedScroll) > 1)) {
      return;
    }
    var before = target.getBoundingClientRect().top;
    target.scrollIntoView();
    var moved = Math.abs(target.getBoundingClientRect().top - before) > 1;
    if (moved && triesLeft > 1) {
      var scrolled = window.scrollY;
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { settle(triesLeft - 1, scrolled); });
      });
    }
  }

  function start() {
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { settle(5); });
    });
  }

  // Material's document$ emits on the first load and after every instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else {
    window.addEventListener("load", start);
  }
  window.addEventListener("hashchange", start);
})();
