// Donations: shows the exact amount "cover the fee" adds, with the same integer arithmetic as
// donations.services.fee_cover_for (basis points, ceiling), so the page and the charge agree.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid='donation-form']");
  if (!form) { return; }
  var cover = form.querySelector("input[name='cover_fee']");
  var note = document.getElementById("fee-cover-note");
  var custom = form.querySelector("input[name='custom_amount']");
  if (!cover || !note) { return; }
  var basisPoints = parseInt(cover.dataset.feeBasisPoints, 10);
  var fixed = parseInt(cover.dataset.feeFixedCents, 10);

  function giftCents() {
    var chosen = form.querySelector("input[name='amount']:checked");
    if (chosen && chosen.value !== "other") { return parseInt(chosen.value, 10); }
    var dollars = parseFloat(custom && custom.value);
    return isNaN(dollars) ? 0 : Math.round(dollars * 100);
  }
  function feeFor(gift) {
    var numerator = (gift + fixed) * 10000;
    var denominator = 10000 - basisPoints;
    return Math.ceil(numerator / denominator) - gift;
  }
  function money(cents) { return "$" + (cents / 100).toFixed(2); }
  function update() {
    var gift = giftCents();
    if (!gift) { note.textContent = ""; return; }
    var fee = feeFor(gift);
    // The sentences come translated from the template's data attributes.
    var text = cover.checked ? note.dataset.textAdded : note.dataset.textOffer;
    note.textContent = text.replace("{fee}", money(fee)).replace("{total}", money(gift + fee))
      .replace("{gift}", money(gift));
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
