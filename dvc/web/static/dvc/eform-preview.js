// Admin: re-render the e-form preview while the schema is being edited (the server checks and renders it).
(function () {
  "use strict";
  var editor = document.querySelector("[data-eform-schema]");
  var preview = document.querySelector("[data-eform-preview]");
  if (!editor || !preview || !window.fetch) { return; }
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var url = window.location.pathname.replace(/\/(add|\d+\/change)\/?$/, "/preview/");
  var timer = null;
  function refresh() {
    var body = new URLSearchParams();
    body.set("schema", editor.value);
    fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": token ? token.value : "" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.problems && data.problems.length) {
          preview.textContent = "";
          var list = document.createElement("ul");
          list.className = "errorlist";
          data.problems.forEach(function (p) { var li = document.createElement("li"); li.textContent = p; list.appendChild(li); });
          preview.appendChild(list);
        } else {
          preview.innerHTML = data.html;
        }
      });
  }
  editor.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
})();
