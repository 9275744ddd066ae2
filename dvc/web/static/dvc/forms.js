// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Province -> commune: fill the commune list in place instead of reloading the page.
  document.querySelectorAll("[data-address]").forEach(function (box) {
    var province = box.querySelector("select[name$='province']");
    var commune = box.querySelector("select[name$='commune']");
    var chooser = box.querySelector("[data-choose-province]");
    if (!province || !commune || !window.fetch) { return; }
    if (chooser) { chooser.parentNode.hidden = true; }
    var placeholder = commune.options.length ? commune.options[0].textContent : "";
    province.addEventListener("change", function () {
      commune.disabled = true;
      fetch("/api/v1/admin-units?parent=" + encodeURIComponent(province.value), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (units) {
          commune.innerHTML = "";
          var first = document.createElement("option");
          first.value = ""; first.textContent = placeholder; commune.appendChild(first);
          units.forEach(function (u) {
            var o = document.createElement("option"); o.value = u.code; o.textContent = u.name; commune.appendChild(o);
          });
        })
        .catch(function () { if (chooser) { chooser.parentNode.hidden = false; } })
        .then(function () { commune.disabled = false; });
    });
  });

  // Registration: show only the fields of the chosen kind of account.
  var kind = document.querySelector("select[name='kind']");
  if (kind) {
    var apply = function () {
      document.querySelectorAll("[data-kind]").forEach(function (el) {
        el.hidden = el.getAttribute("data-kind").split(" ").indexOf(kind.value) === -1;
      });
    };
    kind.addEventListener("change", apply);
    apply();
  }
})();
