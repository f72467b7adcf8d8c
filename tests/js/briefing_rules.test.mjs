import { test } from "node:test";
import assert from "node:assert/strict";

import {
  BRIEFINGS_URL,
  MAX_ATTENDEES,
  addName,
  briefingBody,
  briefingEntry,
  checkBriefing,
  defaultsOf,
  mergeAttendees,
  personKey,
  photoUrlOf,
  pickDefaults,
  waitingBriefings,
} from "../../static/js/crew/briefing_rules.js";

const WORDS = new Proxy({}, { get: (_, name) => String(name) });
const PEOPLE = [{ id: 7, name: "王班长" }, { id: 9, name: "Li Wei" }];
const UUID = "6B1F3C2A-8D4E-4F7A-9C0B-2E5D7A9F1C34";
const AT = "2026-05-01T07:30:00+08:00";

function values(extra) {
  return Object.assign({
    topic_id: "3", topic_text: "", crew: " 一班 ", site_id: "", place: "K12+300",
    leader_id: "7", leader_name: "", note: "", attendee_ids: ["7"], attendee_names: ["钱师傅"],
  }, extra || {});
}

test("names compare without case, width or spaces", () => {
  assert.equal(personKey(" 王 师傅 "), personKey("王师傅"));
  assert.equal(personKey("ＬＩ wei"), personKey("liwei"));
});

test("adding a name skips blanks, repeats and a listed user's name", () => {
  assert.deepEqual(addName(["钱师傅"], "  ", PEOPLE), ["钱师傅"]);
  assert.deepEqual(addName(["钱师傅"], "钱 师傅", PEOPLE), ["钱师傅"]);
  assert.deepEqual(addName([], "li wei", PEOPLE), []);
  assert.deepEqual(addName(["钱师傅"], "赵工", PEOPLE), ["钱师傅", "赵工"]);
});

test("attendees count once: users by id, names by their key, a chosen user's name is that user", () => {
  const merged = mergeAttendees(["7", "7", "x", "9"], ["钱师傅", "钱 师傅", "LI WEI", ""], PEOPLE);
  assert.deepEqual(merged, [{ user_id: 7 }, { user_id: 9 }, { name: "钱师傅" }]);
});

test("the body is what the API takes", () => {
  const body = briefingBody(values(), UUID, AT, PEOPLE);
  assert.deepEqual(body, {
    client_uuid: UUID.toLowerCase(),
    held_at: AT,
    crew: "一班",
    site_id: null,
    place: "K12+300",
    leader_id: 7,
    leader_name: "",
    topic_id: 3,
    topic_text: "",
    attendees: [{ user_id: 7 }, { name: "钱师傅" }],
    note: "",
  });
  const other = briefingBody(values({ leader_id: "other", leader_name: " 马队长 " }), UUID, AT, PEOPLE);
  assert.equal(other.leader_id, null);
  assert.equal(other.leader_name, "马队长");
  assert.deepEqual(checkBriefing(body, WORDS), {});
});

test("the phone refuses what the server would", () => {
  const empty = briefingBody(values({
    topic_id: "", attendee_ids: [], attendee_names: [], crew: "", leader_id: "other",
  }), UUID, AT, PEOPLE);
  assert.deepEqual(checkBriefing(empty, WORDS), {
    topic_id: "need_topic", attendees: "need_attendee", crew: "need_crew", leader_id: "need_leader",
  });
  const names = Array.from({ length: MAX_ATTENDEES + 1 }, (_, i) => "工人" + i);
  const many = briefingBody(values({ attendee_ids: [], attendee_names: names }), UUID, AT, PEOPLE);
  assert.equal(checkBriefing(many, WORDS).attendees, "too_many");
  const site = briefingBody(values({ crew: "", site_id: "4" }), UUID, AT, PEOPLE);
  assert.equal(checkBriefing(site, WORDS).crew, undefined);
});

test("the outbox entry and the photo address name the briefing by its UUID", () => {
  const body = briefingBody(values(), UUID, AT, PEOPLE);
  const entry = briefingEntry(body, "label");
  assert.equal(entry.url, BRIEFINGS_URL);
  assert.equal(entry.uuid, UUID.toLowerCase());
  assert.equal(entry.answer_uuid, "uuid");
  assert.equal(photoUrlOf(UUID), "/api/v1/briefings/" + UUID.toLowerCase() + "/photos");
  const waiting = waitingBriefings([
    { kind: "record", url: BRIEFINGS_URL }, { kind: "photo", url: photoUrlOf(UUID) },
    { kind: "record", url: "/api/v1/pretrip-checks" },
  ]);
  assert.equal(waiting.length, 1);
});

test("the defaults are the newer of the page's and the phone's last briefing", () => {
  const body = briefingBody(values(), UUID, AT, PEOPLE);
  const mine = defaultsOf(body, PEOPLE);
  assert.deepEqual(mine.attendees, [{ user_id: 7, name: "王班长" }, { user_id: null, name: "钱师傅" }]);
  assert.equal(mine.leader_name, "王班长");
  const older = { held_at: "2026-04-30T07:30:00+08:00", crew: "二班" };
  assert.equal(pickDefaults(older, mine), mine);
  assert.equal(pickDefaults({ held_at: "2026-05-02T07:00:00+08:00" }, mine).held_at, "2026-05-02T07:00:00+08:00");
  assert.equal(pickDefaults({}, mine), mine);
  assert.equal(pickDefaults(older, null), older);
  assert.equal(pickDefaults({}, null), null);
});
