"""Plan → iCalendar feeds.

The package: ``names`` (a feed's name, the feeds there are, the UID domain), ``items`` (an entry
in words), ``entries`` (what a feed carries and folds: its copies and logical entries),
``ical`` (bytes: VEVENTs, the envelope, the mail attachment) — pure: data in, bytes out; no
clock, no database — then ``state`` (SEQUENCE and LAST-MODIFIED in the ``feed_items`` table),
``body`` (a feed's gzip segments) and ``cache`` (the running daemon's feeds, made and re-made).
Importing the package loads the pure part only; what other code uses of it is named here.

A feed is named ``all``, ``department/<id>``, ``country/<CC>`` or ``tag/<tag>``, in one of two
layouts. ``feed_items(plan, runtime, feed, done=…, today=…)`` selects and words its items;
``render`` turns items stamped with SEQUENCE/LAST-MODIFIED (see ``state``) into a VCALENDAR.

**Layouts** (docs/FEEDS.md). ``days`` (the default): a task is a one-day entry on its due day
("Hạn: …") and, when its window is longer than a day, a one-day entry on the day it opens
("Bắt đầu: …"); a month view then shows what is due on each day instead of a wall of bars.
On a busy day (more than ``BUSY_DAY`` entries of one kind in one feed) those entries are
folded into one that lists them; the folded ones stay tracked (``hidden``) so that the mail
attachment of such a task still has a SEQUENCE, but are not published. ``bars`` (asked for
with ``?layout=bars``): one entry per task spanning its window, as before.

Every item is all-day (``DTSTART;VALUE=DATE`` with an exclusive ``DTEND``), so no
VTIMEZONE is needed; ``X-WR-TIMEZONE`` still tells clients the organisation's zone.

**UIDs** come from ids and the occurrence date only — never titles — and end in the
installation's domain (``uid_domain``: the host of ``[http] base_url``, or one made from the
organisation's name when that host is an address), so two provinces publishing the same
catalog never share a UID::

    <event>.<YYYYMMDD>.<scope>@<domain>                    an event
    <event>.<task>.<YYYYMMDD>.due.<scope>@<domain>         a task's due day
    <event>.<task>.<YYYYMMDD>.open.<scope>@<domain>        the day its window opens
    <event>.<task>.<YYYYMMDD>.<scope>.bars@<domain>        a task in the bars layout
    _day.<YYYYMMDD>.<due|open|event>[.support].<scope>@<domain>   a busy day's folded entry

``<scope>`` is the feed (``all``, ``department-so-ngoai-vu``, ``country-jp``,
``tag-quoc-khanh``; ``….bars`` in the bars layout): the same task is worded differently per
feed, and clients such as Google Calendar misbehave when two subscribed calendars share a UID.

**Alarms** only where they belong to the reader: in a department's feed, on the entries it
leads (``[feeds] support_alarms`` adds the ones it supports), at ``[reminders] send_at`` on the
entry's day as a DATE-TIME trigger (apps show the date and time, not "8 hours after the
start"), never on a done task, and never for a day already past (``today``), so that a new
subscriber gets no burst of old reminders.

**Done** (``done``: the acknowledgements) marks a task's entries "✓" with when, and who only in a
department's own feed (people's names are personal data; ``all``, country, tag and public feeds
say what and when).

``task_ics(task, runtime, now=…, feed=…)`` is the public entry point for the ``.ics``
attachment of a reminder e-mail: the task's due-day VEVENT as the recipient department's feed
publishes it (same UID, content and SEQUENCE), METHOD:PUBLISH with an ORGANIZER.
"""

from .entries import (
    BUSY_DAY,
    Carried,
    Copy,
    Logical,
    Month,
    carried,
    carries,
    feed_copies,
    feed_items,
    items_for_feeds,
    logical_entries,
    month_of,
    shared_owners,
    shared_owners_all,
)
from .ical import (
    PRODID,
    FeedMeta,
    Parts,
    envelope,
    feed_meta,
    feed_title,
    organizer,
    published,
    register_published,
    render,
    task_ics,
    uid_line,
    vevent_bytes,
    vevent_parts,
)
from .items import (
    Done,
    DoneMap,
    FeedItem,
    Pending,
    Stamped,
    alarm_time,
    lead_words,
    occurrence_item,
    occurrence_uid,
    short,
    task_item,
    task_uid,
    word,
)
from .names import (
    FEED_KINDS,
    LAYOUTS,
    Entry,
    FeedName,
    FeedNameError,
    Role,
    available_feeds,
    parse_feed_name,
    public_feeds,
    uid_domain,
    with_layout,
)

__all__ = [
    "BUSY_DAY", "FEED_KINDS", "LAYOUTS", "PRODID", "Carried", "Copy", "Done", "DoneMap", "Entry", "FeedItem",
    "FeedMeta", "FeedName", "FeedNameError", "Logical", "Month", "Parts", "Pending", "Role", "Stamped",
    "alarm_time", "available_feeds", "carried", "carries", "envelope", "feed_copies", "feed_items", "feed_meta",
    "feed_title", "items_for_feeds", "lead_words", "logical_entries", "month_of", "occurrence_item",
    "occurrence_uid", "organizer", "parse_feed_name", "public_feeds", "published", "register_published",
    "render", "shared_owners", "shared_owners_all", "short", "task_ics", "task_item",
    "task_uid", "uid_domain", "uid_line", "vevent_bytes", "vevent_parts", "with_layout", "word",
]
