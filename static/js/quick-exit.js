// Quick exit: the button, or Escape pressed three times within two seconds, ends the
// session on the server and replaces this page by a neutral one (location.replace keeps
// the portal out of the back button). Without JavaScript the form still posts and the
// server redirects to the same neutral page.
(function () {
  "use strict";
  var form = document.getElementById("quick-exit");
  if (!form) {
    return;
  }
  var leaving = false;

  function leave() {
    if (leaving) {
      return;
    }
    leaving = true;
    var done = function () {
      window.location.replace(form.getAttribute("data-exit-url"));
    };
    try {
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        keepalive: true,
        redirect: "manual"
      }).then(done, done);
    } catch (error) {
      done();
    }
    // Never wait long: leaving matters more than the answer.
    window.setTimeout(done, 300);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    leave();
  });

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (time) { return now - time < 2000; });
    presses.push(now);
    if (presses.length >= 3) {
      leave();
    }
  });
})();
