// The platform's own behaviour for every page (no inline scripts: the CSP allows none).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
});
// A link to a section inside a folded <details> (#dossier, #record…) opens the fold around it.
function openFoldOfHash() {
  var id = decodeURIComponent(location.hash.slice(1));
  var el = id && document.getElementById(id);
  for (; el; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
}
document.addEventListener("DOMContentLoaded", openFoldOfHash);
window.addEventListener("hashchange", openFoldOfHash);
