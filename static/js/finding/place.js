/* Where a new finding is: the road and direction chosen, the phone's GPS fix, and the stake the
 * server derives from it for the crew to confirm (or a typed stake, which the GPS then leaves
 * alone). Without a secure context or a fix the crew types the stake (OFFLINE.md rule 8: the raw
 * fix is kept as it is). Plain ES2017 (no ?. or ??).
 */
import { MAX_ACCURACY_M } from "./record.js";
import { locate as locateOnRoad, position } from "../lib/location.js";
import { forgetSuggested, resetTyping, show, suggest, typed, watchTyping } from "../lib/forms.js";
import { format } from "../lib/text.js";

/* words: the page's; onStake(): the stake or road changed (the near-duplicates are asked again). */
export function createPlace(words, onStake) {
  let fix = null; // the latest GPS fix {lon, lat, accuracy, at}
  let serial = 0; // the latest question to the server; older answers are dropped

  function $(id) {
    return document.getElementById(id);
  }

  function hint(text) {
    show($("stake-hint"), text);
  }

  function status(text) {
    $("gps-status").textContent = text || "";
  }

  /* {road, direction} chosen ("" for none). */
  function road() {
    const value = $("f-road").value;
    if (!value) return { road: "", direction: "" };
    const parts = value.split("|");
    return { road: parts[0], direction: parts[1] };
  }

  /* Choose the road and direction, or another direction of the road when that one is not listed. */
  function selectRoad(code, direction) {
    const select = $("f-road");
    const exact = select.querySelector('option[value="' + code + "|" + direction + '"]');
    let any = null;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!any && option.value.split("|")[0] === code) any = option;
    });
    const option = exact || any;
    if (option) select.value = option.value;
  }

  /* Ask the server which stake the fix lies at, and suggest it (unless the crew typed one). */
  function deriveStake() {
    const input = $("f-stake");
    if (!fix || typed(input)) return;
    if (fix.accuracy > MAX_ACCURACY_M) {
      hint(format(words.gps_poor, { accuracy: Math.round(fix.accuracy) }));
      return;
    }
    const chosen = road();
    const asked = ++serial;
    locateOnRoad(fix, chosen.road, chosen.direction).then(function (answer) {
      if (asked !== serial || typed(input)) return;
      if (!answer.candidate) {
        hint(answer.status === 404 && answer.message ? answer.message : words.no_road);
        return;
      }
      suggest(input, answer.candidate.stake);
      if (!chosen.road) selectRoad(answer.candidate.road, answer.candidate.direction);
      hint(format(words.stake_from_gps, {
        stake: answer.candidate.stake,
        distance: Math.round(answer.candidate.distance_m),
      }));
      if (onStake) onStake();
    }, function () {
      if (asked === serial) hint(words.stake_offline);
    });
  }

  /* Take a fresh fix, then derive the stake from it. */
  function locate() {
    if (!window.isSecureContext || !navigator.geolocation) return;
    status(words.gps_waiting);
    position(0).then(function (found) {
      fix = found;
      status(format(words.gps_fix, {
        lon: found.lon.toFixed(6),
        lat: found.lat.toFixed(6),
        accuracy: Math.round(found.accuracy),
      }));
      deriveStake();
    }, function (error) {
      fix = null;
      status(error && error.code === 1 ? words.gps_denied : words.gps_failed);
    });
  }

  /* Drop a stake the GPS suggested (the road changed, or the crew asks for a new fix). */
  function forgetDerivedStake() {
    if (forgetSuggested($("f-stake"))) hint("");
  }

  /* A new finding begins: the stakes are neither typed nor suggested. */
  function reset() {
    resetTyping($("f-stake"));
    resetTyping($("f-end-stake"));
    hint("");
  }

  /* Put a saved finding's stakes back, as typed (a finding to correct). */
  function fill(body) {
    selectRoad(body.road, body.direction);
    $("f-stake").value = body.stake || "";
    $("f-stake").setAttribute("data-typed", "yes");
    $("f-end-stake").value = body.end_stake || "";
  }

  function wire() {
    watchTyping($("f-stake"), function () {
      hint("");
    });
    watchTyping($("f-end-stake"));
    $("gps-again").addEventListener("click", function () {
      $("f-stake").removeAttribute("data-typed");
      forgetDerivedStake();
      locate();
    });
  }

  /* The road changed: a suggested stake was for the other road. */
  function roadChanged() {
    forgetDerivedStake();
    deriveStake();
  }

  return {
    fix: function () {
      return fix;
    },
    road: road,
    selectRoad: selectRoad,
    locate: locate,
    roadChanged: roadChanged,
    reset: reset,
    fill: fill,
    wire: wire,
  };
}
