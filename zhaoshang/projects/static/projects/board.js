/* The project board: drag a card onto another column to move the project there (SortableJS).
   A card may be dropped only on the columns of its legal moves (the server's list, on the card in data-moves);
   those columns are outlined while it is dragged. The drop posts the same move as the card's move form (same
   address, same CSRF token, dated today: the board's data-today), into the move panel:
   - done: the answer puts the card on top of its new column and says so in the panel;
   - refused (the service's words, e.g. a reason is needed to drop a project, or someone moved it meanwhile):
     the card goes back where it was and the move form shows why, ready to be completed.
   Keyboard users move a card with its Move button (the same form). No text is written here. */
(function () {
  "use strict";
  var board = document.querySelector("[data-testid=board]");
  if (!board || typeof window.Sortable !== "function") return;
  var labels = JSON.parse(document.getElementById("board-labels").textContent);
  var panel = document.getElementById("move-panel");

  function column(element) {
    return element.closest(".board-column");
  }

  // A card may be dropped only on the columns of its legal moves.
  function canMoveTo(card, target) {
    return (card.dataset.moves || "").split(" ").indexOf(target.dataset.stage) >= 0;
  }

  function markTargets(card, on) {
    board.querySelectorAll(".board-column").forEach(function (target) {
      var legal = on && canMoveTo(card, target);
      target.classList.toggle("board-drop-target", legal);
      if (legal) target.setAttribute("title", labels.dropHere);
      else target.removeAttribute("title");
    });
  }

  function putBack(card, list, index) {
    var before = list.children[index] || null;
    if (before === card) return;
    list.insertBefore(card, before);
  }

  function post(card, from, oldIndex, stage) {
    var values = { to_stage: stage, happened_on: board.dataset.today, board: "1", reason: "", note: "" };
    window.htmx
      .ajax("POST", card.dataset.transitionUrl, {
        target: "#move-panel",
        swap: "innerHTML",
        values: values,
        headers: { "X-CSRFToken": board.dataset.csrfToken }
      })
      .then(function () {
        if (panel.querySelector("[data-moved-from]")) return; // moved: the answer placed the card
        if (document.body.contains(card)) putBack(card, from, oldIndex);
        panel.scrollIntoView({ block: "nearest" });
        var why = panel.querySelector("[role=alert]");
        if (why) {
          why.setAttribute("tabindex", "-1");
          why.focus();
        }
      });
  }

  board.querySelectorAll(".board-cards").forEach(function (list) {
    window.Sortable.create(list, {
      group: {
        name: "board",
        pull: true,
        put: function (to, from, card) {
          return canMoveTo(card, column(to.el));
        }
      },
      sort: false,
      draggable: ".board-card[data-moves]",
      animation: 150,
      delay: 200, // on a touch screen a card is held a moment before it moves: a quick swipe scrolls the board
      delayOnTouchOnly: true,
      chosenClass: "board-dragging",
      onStart: function (event) {
        markTargets(event.item, true);
      },
      onEnd: function (event) {
        markTargets(event.item, false);
        if (event.from === event.to) return;
        var stage = column(event.to).dataset.stage;
        if (!canMoveTo(event.item, column(event.to))) {
          putBack(event.item, event.from, event.oldIndex);
          return;
        }
        post(event.item, event.from, event.oldIndex, stage);
      }
    });
  });

  panel.addEventListener("click", function (event) {
    if (event.target.closest("[data-board-cancel]")) panel.innerHTML = "";
  });

  // After a move: the column counts follow the card.
  document.body.addEventListener("htmx:afterSettle", function () {
    var done = panel.querySelector("[data-moved-from]");
    if (!done || done.dataset.counted) return;
    done.dataset.counted = "1";
    [[done.dataset.movedFrom, -1], [done.dataset.movedTo, 1]].forEach(function (pair) {
      var badge = document.getElementById("count-" + pair[0]);
      if (badge) badge.textContent = String(Math.max(0, parseInt(badge.textContent, 10) + pair[1]));
    });
  });
})();
