"""Verify Lantern's audit log without its database: signed tree heads, inclusion proofs and
consistency proofs (RFC 9162 §2.1.3.2, §2.1.4.2). Standard library and ``cryptography``
only, and no other file of Lantern: this one file can be handed to a procuratorate or a
court and run with ``python3 verify_proofs.py`` as well as ``python -m lantern.audit.verify_proofs``.

What to fetch from Lantern (any signed-in user may; save each answer as a file):

    GET /api/v1/audit/keys                                   -> keys.json
    GET /api/v1/audit/tree-head                              -> head.json
    GET /api/v1/audit/proof/inclusion?seq=N&tree_size=M      -> inclusion.json  (M = head's tree_size)
    GET /api/v1/audit/proof/consistency?first=M&second=K     -> consistency.json

Then:

    # The tree head is signed by one of the keys (a key listed in keys.json whose key_id is
    # the SHA-256 of the key itself; better, keys obtained earlier from a published copy):
    python -m lantern.audit.verify_proofs head --keys keys.json head.json

    # Entry N, whose chain hash you hold (the "hash" of GET /api/v1/audit/entries, or of an
    # exported copy), is in the log the head signed:
    python -m lantern.audit.verify_proofs inclusion --keys keys.json --head head.json \\
        --proof inclusion.json --entry-hash 3f1c...e9      (or --leaf-hash, the RFC leaf hash)

    # The log the newer head signed extends the older one: nothing was changed or removed
    # between them, only appended (old-head.json kept from an earlier day):
    python -m lantern.audit.verify_proofs consistency --keys keys.json --old old-head.json \\
        --new head.json --proof consistency.json

``--keys`` takes the JSON of /keys, a JSON object {key_id: PEM}, or a PEM file of one
public key, and may be given several times. Any input may be "-" for standard input. The
exit status is 0 when everything verifies and 1 otherwise, with one line saying what was
found. Messages follow the environment's language (LANGUAGE=zh_Hans for Chinese) when
Lantern's locale/ directory is beside the package; otherwise they are in English.

The rules: leaf hash = SHA-256(0x00 || the entry's chain hash as 32 bytes), node =
SHA-256(0x01 || left || right), entry seq N is leaf index N - 1, and the signature is
Ed25519 over the canonical JSON (keys sorted, no spaces, UTF-8) of {"key_id", "root_hash",
"timestamp", "tree_size"}; key_id is the hex SHA-256 of the raw 32-byte public key.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import gettext
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

_LOCALE = Path(__file__).resolve().parents[2] / "locale"
_ = gettext.translation("django", localedir=_LOCALE, fallback=True).gettext


class Failed(Exception):
    """Verification failed; the message says why."""


# --- RFC 9162 ------------------------------------------------------------------------------

def leaf_hash(entry_hash: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry_hash).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """RFC 9162 §2.1.3.2: the root the audit path leads to from the leaf."""
    if index >= size:
        raise Failed(_("The entry is not within the tree size."))
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise Failed(_("The audit path is longer than the tree is deep."))
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise Failed(_("The audit path is shorter than the tree is deep."))
    return r


def check_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> None:
    """RFC 9162 §2.1.4.2; raises Failed unless the second tree extends the first."""
    if not 0 < first <= second:
        raise Failed(_("The tree sizes must satisfy 0 < first <= second."))
    if first == second:
        if proof or first_root != second_root:
            raise Failed(_("Two heads of the same size must have the same root and an empty proof."))
        return
    if not proof:
        raise Failed(_("The consistency proof is empty."))
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise Failed(_("The consistency proof is longer than the tree is deep."))
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != first_root or sr != second_root:
        raise Failed(_("The newer tree does not extend the older one: the log was changed between them."))


# --- Keys and signed tree heads ------------------------------------------------------------

def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def _public_key(pem: str) -> Ed25519PublicKey:
    try:
        public = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise Failed(_("A public key is not a PEM public key.")) from exc
    if not isinstance(public, Ed25519PublicKey):
        raise Failed(_("A public key is not an Ed25519 key."))
    return public


def load_keys(texts: list[str]) -> dict[str, Ed25519PublicKey]:
    """Public keys by key_id, which is computed from each key (a label is never trusted)."""
    found: dict[str, Ed25519PublicKey] = {}
    for text in texts:
        if text.lstrip().startswith("-----BEGIN"):
            pems = [text]
        else:
            data = _json(text)
            if isinstance(data, dict) and isinstance(data.get("keys"), list):
                pems = [k.get("public_key_pem", "") for k in data["keys"] if isinstance(k, dict)]
            elif isinstance(data, dict):
                pems = [v for v in data.values() if isinstance(v, str)]
            else:
                raise Failed(_("The keys are neither Lantern's /keys JSON nor a PEM public key."))
        for pem in pems:
            public = _public_key(pem)
            found[key_id(public)] = public
    return found


def signed_message(head: dict[str, Any]) -> bytes:
    fields = {k: head[k] for k in ("tree_size", "root_hash", "timestamp", "key_id")}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def check_head(head: dict[str, Any], keys: dict[str, Ed25519PublicKey]) -> tuple[int, bytes]:
    """A tree head's signature; returns its (tree_size, root hash)."""
    try:
        size, root = int(head["tree_size"]), _hex32(head["root_hash"])
        message, signature = signed_message(head), base64.b64decode(head["signature"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise Failed(_("The tree head is incomplete or malformed.")) from exc
    public = keys.get(str(head["key_id"]))
    if public is None:
        raise Failed(_("The tree head was signed by key %(key)s, which is not among the keys given.")
                     % {"key": head["key_id"]})
    try:
        public.verify(signature, message)
    except InvalidSignature as exc:
        raise Failed(_("The tree head's signature is not valid: it was altered or not signed by its key.")) from exc
    if size < 0:
        raise Failed(_("The tree head is incomplete or malformed."))
    return size, root


# --- Input ---------------------------------------------------------------------------------

def _read(source: str) -> str:
    try:
        return sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise Failed(_("Cannot read %(file)s.") % {"file": source}) from exc


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Failed(_("An input is not JSON.")) from exc


def _hex32(value: Any) -> bytes:
    raw = bytes.fromhex(str(value))
    if len(raw) != 32:
        raise ValueError("not a SHA-256 hash")
    return raw


def _hashes(values: Any) -> list[bytes]:
    try:
        return [_hex32(v) for v in values]
    except (TypeError, ValueError) as exc:
        raise Failed(_("A proof holds something other than SHA-256 hashes in hex.")) from exc


def _ints(data: dict[str, Any], *names: str) -> list[int]:
    try:
        return [int(data[n]) for n in names]
    except (KeyError, TypeError, ValueError) as exc:
        raise Failed(_("The proof is incomplete or malformed.")) from exc


# --- Commands ------------------------------------------------------------------------------

def cmd_head(args: argparse.Namespace) -> str:
    head = _json(_read(args.head))
    size, root = check_head(head, load_keys([_read(k) for k in args.keys]))
    return _("Tree head verified: %(n)s entries, root %(root)s, signed %(at)s by key %(key)s.") % {
        "n": size, "root": root.hex(), "at": head["timestamp"], "key": head["key_id"]}


def _leaf(args: argparse.Namespace, proof: dict[str, Any]) -> bytes:
    try:
        leaf = leaf_hash(_hex32(args.entry_hash)) if args.entry_hash else _hex32(args.leaf_hash)
    except ValueError as exc:
        raise Failed(_("The entry hash or leaf hash is not a SHA-256 hash in hex.")) from exc
    if "leaf_hash" in proof and str(proof["leaf_hash"]).lower() != leaf.hex():
        raise Failed(_("The proof is for another entry: its leaf hash differs from the one given."))
    return leaf


def cmd_inclusion(args: argparse.Namespace) -> str:
    size, root = check_head(_json(_read(args.head)), load_keys([_read(k) for k in args.keys]))
    proof = _json(_read(args.proof))
    seq, proof_size = _ints(proof, "seq", "tree_size")
    if proof_size != size:
        raise Failed(_("The proof is for a tree of %(p)s entries, the head for %(h)s.") % {"p": proof_size, "h": size})
    if seq < 1:
        raise Failed(_("The proof is incomplete or malformed."))
    if root_from_inclusion(seq - 1, size, _leaf(args, proof), _hashes(proof.get("audit_path", []))) != root:
        raise Failed(_("The audit path does not lead to the signed root: the entry is not in this log as given."))
    return _("Inclusion verified: entry #%(seq)s is in the log of %(n)s entries that the tree head signed.") % {
        "seq": seq, "n": size}


def cmd_consistency(args: argparse.Namespace) -> str:
    keys = load_keys([_read(k) for k in args.keys])
    first, first_root = check_head(_json(_read(args.old)), keys)
    second, second_root = check_head(_json(_read(args.new)), keys)
    proof = _json(_read(args.proof))
    if _ints(proof, "first", "second") != [first, second]:
        raise Failed(_("The proof is not between these two tree heads' sizes (%(a)s and %(b)s).")
                     % {"a": first, "b": second})
    check_consistency(first, second, first_root, second_root, _hashes(proof.get("proof", [])))
    return _("Consistency verified: the log of %(b)s entries extends the log of %(a)s entries; nothing "
             "before entry #%(next)s was changed or removed.") % {"a": first, "b": second, "next": first + 1}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="verify_proofs", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    head = sub.add_parser("head", help="verify a tree head's signature")
    head.add_argument("head", help="the tree head JSON (/tree-head)")
    inclusion = sub.add_parser("inclusion", help="verify that an entry is in the log a tree head signed")
    inclusion.add_argument("--head", required=True, help="the tree head JSON (/tree-head)")
    inclusion.add_argument("--proof", required=True, help="the inclusion proof JSON (/proof/inclusion)")
    which = inclusion.add_mutually_exclusive_group(required=True)
    which.add_argument("--entry-hash", help="the entry's chain hash (hex)")
    which.add_argument("--leaf-hash", help="the entry's leaf hash (hex)")
    consistency = sub.add_parser("consistency", help="verify that a newer tree head extends an older one")
    consistency.add_argument("--old", required=True, help="the older tree head JSON")
    consistency.add_argument("--new", required=True, help="the newer tree head JSON")
    consistency.add_argument("--proof", required=True, help="the consistency proof JSON (/proof/consistency)")
    for command in (head, inclusion, consistency):
        command.add_argument("--keys", action="append", required=True,
                             help="public keys: /keys JSON, {key_id: PEM} JSON or a PEM file (repeatable)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run = {"head": cmd_head, "inclusion": cmd_inclusion, "consistency": cmd_consistency}[args.command]
    try:
        print(_("OK: %(what)s") % {"what": run(args)})
    except Failed as failed:
        print(_("FAILED: %(why)s") % {"why": failed}, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
