/* Loa — narrow a long <select data-filter> of units as the person types (with or without
   diacritics). Without JavaScript the grouped list works as it is. */
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function setup(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-filter";
    input.placeholder = select.getAttribute("data-filter");
    input.setAttribute("aria-label", select.getAttribute("data-filter"));
    input.setAttribute("autocomplete", "off");
    select.parentNode.insertBefore(input, select);
    var options = Array.prototype.slice.call(select.querySelectorAll("option[value]:not([value=''])"));
    var labels = options.map(function (o) {
      var group = o.parentNode.tagName === "OPTGROUP" ? o.parentNode.label : "";
      return fold(group + " " + o.textContent);
    });
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var groups = {};
      options.forEach(function (o, i) {
        var show = words.every(function (w) { return labels[i].indexOf(w) >= 0; });
        o.hidden = !show;
        o.disabled = !show && !o.selected;
        if (show && o.parentNode.tagName === "OPTGROUP") groups[o.parentNode.label] = true;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (g) { g.hidden = !groups[g.label]; });
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
