/* Walking a survey unit: once an item is picked, offer only its severities and show the unit its
 * quantity is counted in. The form works without this script; the server checks everything.
 */
(function () {
  "use strict";

  var form = document.getElementById("record-form");
  var block = document.getElementById("survey-vocabulary");
  if (!form || !block) return;
  var vocabulary;
  try {
    vocabulary = JSON.parse(block.textContent);
  } catch (error) {
    return;
  }
  var items = {};
  (vocabulary.items || []).forEach(function (item) {
    items[item.code] = item;
  });
  var guide = document.getElementById("severity-guide");
  var unitLabel = document.getElementById("quantity-unit");
  var group = document.getElementById("severity-group");

  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }

  function update() {
    var item = items[checked("item_code")];
    if (!item) return;
    var allowed = item.severities.map(function (s) {
      return s === null ? "" : s;
    });
    var graded = allowed.indexOf("") === -1;
    form.querySelectorAll("[data-severity]").forEach(function (label) {
      var value = label.getAttribute("data-severity");
      var ok = allowed.indexOf(value) !== -1;
      label.hidden = !ok;
      var input = label.querySelector("input");
      if (!ok && input.checked) input.checked = false;
      if (!graded && value === "") input.checked = true;
    });
    group.hidden = !graded;
    guide.textContent = item.guide || "";
    guide.hidden = !item.guide;
    var severity = checked("severity") || "";
    var unit = item.units[severity] || item.units[allowed[0]];
    unitLabel.textContent = unit ? "(" + (vocabulary.units[unit] || unit) + ")" : "";
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "item_code" || event.target.name === "severity") update();
  });
  update();
})();
