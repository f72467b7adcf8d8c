"""The words the field scripts show, translated on the server (the scripts carry no language)."""

from __future__ import annotations

from flask_babel import gettext
from flask_login import current_user


def outbox_words() -> dict[str, str]:
    """Return the outbox's messages in the page's language, and the signed-in user.

    `user` (absent when nobody is signed in) is the maker the phone records on each outbox entry:
    entries are sent only under their maker's session (a shared phone keeps the others).
    """
    words = {
        "waiting": gettext("Waiting to send: %(records)s records, %(photos)s photos"),
        "nothing_waiting": gettext("Nothing waiting to send"),
        "last_sync": gettext("Last sent to the server: %(time)s"),
        "never_synced": gettext("Not sent to the server yet"),
        "saved_offline": gettext("Saved on this phone; it will be sent when there is signal."),
        "sent": gettext("Sent to the server."),
        "needs_attention": gettext("Needs attention: %(reason)s"),
        "send_now": gettext("Send now"),
        "sending": gettext("Sending…"),
        "export": gettext("Export the outbox to a file"),
        "logout_blocked": gettext(
            "Records are still waiting to be sent. Signing out now could lose them. "
            "Send them first."
        ),
        "insecure": gettext(
            "This page is not served over https: the phone will not give a GPS position or keep "
            "the pages for offline use. Type the stakes; records are still kept on this phone "
            "until they are sent."
        ),
        "storage_use": gettext("Storage used on this phone: %(used)s of %(quota)s"),
        "persisted": gettext("The browser promised to keep the outbox."),
        "not_persisted": gettext(
            "The browser may clear the outbox when space runs low: do not clear the browser's data."
        ),
        "waiting_for_user": gettext(
            "%(records)s records, %(photos)s photos wait on this phone for %(user)s: "
            "sign in as %(user)s to send them."
        ),
        "page_user_stale": gettext(
            "This page was kept on the phone while %(page_user)s was signed in; %(user)s is "
            "signed in now. Reload the page before recording anything."
        ),
        "page_user_signed_out": gettext(
            "This page was kept on the phone while %(page_user)s was signed in; since then "
            "they signed out. Sign in before recording anything."
        ),
    }
    if current_user and current_user.is_authenticated:
        words["user"] = current_user.username
    return words
