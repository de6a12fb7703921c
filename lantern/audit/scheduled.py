"""The audit app's periodic jobs (core.scheduled runs them).

Commits seal their own entries; ``audit.seal`` links the few a contended commit left
behind, every minute, so none stays unsealed long enough for audit_verify to flag it.
``audit.seal_and_sign`` advances the verifiable log: it extends the stored Merkle tree and,
when the log grew, signs a checkpoint and a tree head at the same entry. Every ten
minutes keeps proofs at most ten minutes behind the log while the tree heads stay few
(about 50,000 a year, each checked by audit_verify).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lantern.audit.services import seal_pending
from lantern.audit.signing import seal_and_sign
from lantern.core.scheduled import job


@job(name="audit.seal", every=dt.timedelta(minutes=1), order=97)  # after the jobs that write entries
def seal() -> str:
    return _("%(n)s entries sealed") % {"n": seal_pending()}


@job(name="audit.seal_and_sign", every=dt.timedelta(minutes=10), order=98)
def seal_and_sign_job() -> str:
    sealed, head = seal_and_sign()
    if head is None:
        return _("%(n)s entries sealed; the log did not grow: no tree head signed") % {"n": sealed}
    return _("%(n)s entries sealed; tree head signed at %(size)s entries") % {"n": sealed, "size": head.tree_size}
