// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // An error summary is where the eye (and the screen reader) should land first.
  var summary = document.getElementById("tom-tat-loi");
  if (summary) { summary.focus(); }

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
  // Filing page: a paper is sent as soon as it is chosen (answers saved with it), too-large files are stopped
  // before sending with the reason beside them, answers are saved after typing stops, and leaving with unsaved
  // changes asks first. Without this script every button of the one form still saves what was typed.
  var filing = document.getElementById("ho-so");
  if (filing && window.fetch && window.FormData) {
    var status = document.getElementById("autosave-status");
    var dirty = false;
    var timer = null;
    var say = function (text) { if (status) { status.textContent = text; } };
    var autosave = function () {
      var data = new FormData(filing);
      filing.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
      data.set("save", "1");
      fetch(filing.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Autosave": "1" } })
        .then(function (r) {
          if (r.status === 204) {
            dirty = false;
            var now = new Date();
            say(filing.getAttribute("data-autosaved") + " " + ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2));
          } else { say(filing.getAttribute("data-autosave-failed")); }
        })
        .catch(function () { say(filing.getAttribute("data-autosave-failed")); });
    };
    filing.addEventListener("input", function (event) {
      if (event.target.type === "file") { return; }
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(autosave, 2500);
    });
    filing.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "file" || !input.files || !input.files.length) { return; }
      var limit = parseFloat(input.getAttribute("data-max-mb") || "0") * 1024 * 1024;
      var box = input.parentNode;
      var old = box.querySelector(".error[data-client]");
      if (old) { old.remove(); }
      var paperLimit = parseFloat(input.getAttribute("data-paper-max-mb") || "0") * 1024 * 1024;
      var total = 0;
      var file = null;
      for (var i = 0; i < input.files.length; i++) {
        total += input.files[i].size;
        if (limit && input.files[i].size > limit && !file) { file = input.files[i]; }
      }
      var shownLimit = input.getAttribute("data-max-mb");
      if (!file && paperLimit && total > paperLimit) {
        file = { name: filing.getAttribute("data-chosen-files"), size: total };
        shownLimit = input.getAttribute("data-paper-max-mb");
      }
      if (file) {
        var p = document.createElement("p");
        p.className = "error"; p.setAttribute("role", "alert"); p.setAttribute("data-client", "");
        p.id = input.id + "-too-big";
        p.textContent = filing.getAttribute("data-too-big").replace("%(name)s", file.name).replace("%(size)s", shownLimit);
        box.appendChild(p);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", p.id);
        input.value = "";
        input.focus();
        return;
      }
      var send = box.querySelector("button[formaction]");
      if (!send) { return; }
      var item = box.closest ? box.closest("li[id^='req-']") : null;
      var submitPage = function () { if (filing.requestSubmit) { dirty = false; filing.requestSubmit(send); } };
      if (!item || !window.DOMParser) { submitPage(); return; }
      // Sent on its own, the paper's entry replaced in place: no page load, nothing else on the page touched.
      var data = new FormData();
      ["csrfmiddlewaretoken", "section"].forEach(function (name) {
        var field = filing.querySelector("[name='" + name + "']");
        if (field) { data.append(name, field.value); }
      });
      data.append("requirement", send.value);
      for (var j = 0; j < input.files.length; j++) { data.append(input.name, input.files[j]); }
      send.disabled = true;
      say(filing.getAttribute("data-uploading"));
      fetch(send.getAttribute("formaction"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById(item.id);
          if (!fresh) { return Promise.reject("no paper"); }  // e.g. the session ended: the login page came back
          var notes = page.querySelectorAll(".messages li");
          item.replaceWith(document.importNode(fresh, true));
          say(Array.prototype.map.call(notes, function (n) { return n.textContent.trim(); }).join(" "));
          var again = document.getElementById(item.id);
          var target = again && (again.querySelector(".error") ? again.querySelector("input[type=file]") : again.querySelector(".attachment a"));
          if (target) { target.focus(); }
        })
        .catch(function () { send.disabled = false; submitPage(); });
    });
    filing.addEventListener("submit", function () { dirty = false; clearTimeout(timer); });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
