// The print view's button: no inline script (the CSP allows only our files).
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) { window.print(); }
});
