"""Backups that restore (issue 17 item 4): ``manage.py backup`` and ``manage.py restore``.

A backup is a directory ``lantern-<UTC time>`` holding ``data.lbk`` (one tar stream,
encrypted with AES-256-GCM in 1 MiB chunks under the backup key, see ``stream``) and a
plaintext ``manifest.json`` (counts, digests and versions, no personal data) that an
operator or ``--prune`` can read without the key. Inside the archive: the database (a
consistent snapshot, ``snapshot``), the evidence files its rows name, their index and the
manifest again, authenticated. The keys (master keys, audit signing keys, secret key,
backup key) are a separate, passphrase-sealed file (``keyring``), kept offline.

``restore`` unpacks into temporary places beside the installation's own, loads and checks
the database there (``verify``) and moves everything into place only when every check
passed (``restore``). The site app hosts it because only the top layer may read every app.
"""
