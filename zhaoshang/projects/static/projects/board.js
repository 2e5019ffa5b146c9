/* The project board: drag a card onto another column to open its move form with that stage chosen.
   The move itself is the form's (date, note, reason), posted by htmx; no text is written here. */
(function () {
  "use strict";
  var board = document.querySelector("[data-testid=board]");
  if (!board) return;
  var labels = JSON.parse(document.getElementById("board-labels").textContent);
  var panel = document.getElementById("move-panel");
  var dragged = null;

  // A card may be dropped only on the columns of its legal moves (the server's list, on the card).
  function canMoveTo(card, column) {
    return (card.dataset.moves || "").split(" ").indexOf(column.dataset.stage) >= 0;
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("board-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.project);
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("board-dragging");
    board.querySelectorAll(".board-drop-target").forEach(function (c) { c.classList.remove("board-drop-target"); });
  });
  board.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged || !canMoveTo(dragged, column)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("board-drop-target");
    column.title = labels.dropHere;
  });
  board.addEventListener("dragleave", function (event) {
    var column = event.target.closest && event.target.closest(".board-column");
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("board-drop-target");
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged || !canMoveTo(dragged, column)) return;
    event.preventDefault();
    column.classList.remove("board-drop-target");
    var url = dragged.dataset.moveUrl + "?to_stage=" + encodeURIComponent(column.dataset.stage);
    dragged = null;
    window.htmx.ajax("GET", url, { target: "#move-panel", swap: "innerHTML" }).then(function () {
      panel.scrollIntoView({ block: "nearest" });
      var submit = panel.querySelector("[data-testid=move-submit]");
      if (submit) submit.focus();
    });
  });

  panel.addEventListener("click", function (event) {
    if (event.target.closest("[data-board-cancel]")) panel.innerHTML = "";
  });

  // After a move: the column counts follow the card.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var done = panel.querySelector("[data-moved-from]");
    if (!done || done.dataset.counted) return;
    done.dataset.counted = "1";
    [[done.dataset.movedFrom, -1], [done.dataset.movedTo, 1]].forEach(function (pair) {
      var badge = document.getElementById("count-" + pair[0]);
      if (badge) badge.textContent = String(Math.max(0, parseInt(badge.textContent, 10) + pair[1]));
    });
  });
})();
