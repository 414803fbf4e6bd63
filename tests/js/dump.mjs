// Parse an iCalendar stream from stdin with Mozilla's ical.js (the parser Thunderbird uses) and
// print what it read as JSON: the calendar's properties and each event's. For the feed tests.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const comp = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const props = {};
for (const p of comp.getAllProperties()) {
  props[p.name.toUpperCase()] = String(p.getFirstValue());
}
const events = comp.getAllSubcomponents("vevent").map((ev) => {
  const e = new ICAL.Event(ev);
  const cats = ev.getAllProperties("categories").flatMap((p) => p.getValues().map(String));
  return {
    uid: e.uid,
    summary: e.summary,
    description: e.description,
    categories: cats,
    start: e.startDate.toString(),
    end: e.endDate.toString(),
    sequence: e.sequence,
    status: ev.getFirstPropertyValue("status"),
    organizer: ev.getFirstPropertyValue("organizer"),
    alarms: ev.getAllSubcomponents("valarm").map((a) => {
      const trigger = a.getFirstProperty("trigger");
      return { type: trigger.type, value: trigger.getFirstValue().toString(), action: a.getFirstPropertyValue("action") };
    }),
  };
});
process.stdout.write(JSON.stringify({ method: props.METHOD ?? null, props, events }));
