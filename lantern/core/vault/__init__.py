"""The encryption kit: envelope encryption of sensitive columns (crypto, keys, fields),
blind indexes of identifiers (blind), the log filter that blanks identities (redaction),
pseudonyms for documents that leave the police (pseudonyms) and key rotation (rotation).

It knows no Lantern model, so every app, accounts and core included, may use it."""
