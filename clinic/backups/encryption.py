"""age encryption of backup archives (pyrage, the Python binding of rage, age in Rust).

Why age: a published file format with authenticated encryption in 64 KiB chunks (ChaCha20-Poly1305
STREAM) whose last chunk is marked, so any flipped byte, reordered chunk or cut-off end is refused;
pyrage streams files of any size; and the `age` command-line tool (Debian's `age` package) decrypts
the same files on a machine without this project. Keys are X25519: the public key (age1…) is
enough to write backups, so the server can hold only that and its stolen disk reveals nothing;
the secret key (AGE-SECRET-KEY-1…) is needed to restore.
"""

from pathlib import Path

import pyrage
from pyrage import x25519

from clinic.backups import BackupError

SUFFIX = ".age"
MAGIC = b"age-encryption.org/v1\n"


def generate_key():
    """A new secret key and its public key, as text."""
    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def _recipient(key):
    try:
        if key.startswith("AGE-SECRET-KEY-"):
            return x25519.Identity.from_str(key).to_public()
        return x25519.Recipient.from_str(key)
    except (pyrage.IdentityError, pyrage.RecipientError, ValueError):
        raise BackupError(
            "BACKUP_KEY is not an age key: it must be a secret key (AGE-SECRET-KEY-1…) or a "
            "public key (age1…), as `manage.py backup --generate-key` prints."
        ) from None


def check_key(key):
    """Refuse a malformed key before any work is done."""
    _recipient(key)


def _identity(key):
    if not key:
        raise BackupError(
            "This archive is encrypted: set BACKUP_KEY to the secret key (AGE-SECRET-KEY-1…)."
        )
    if not key.startswith("AGE-SECRET-KEY-"):
        raise BackupError(
            "BACKUP_KEY holds a public key (age1…), which can only encrypt: to restore, set it "
            "to the matching secret key (AGE-SECRET-KEY-1…)."
        )
    try:
        return x25519.Identity.from_str(key)
    except (pyrage.IdentityError, ValueError):
        raise BackupError("BACKUP_KEY is not a valid age secret key.") from None


def is_encrypted(path):
    with open(path, "rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def encrypt(source: Path, target: Path, key):
    with open(source, "rb") as reader, open(target, "wb") as writer:
        pyrage.encrypt_io(reader, writer, [_recipient(key)])


def decrypt(source: Path, target: Path, key):
    """Decrypt to `target`; if it raises, what was written there is unauthenticated: discard it."""
    identity = _identity(key)
    try:
        with open(source, "rb") as reader, open(target, "wb") as writer:
            pyrage.decrypt_io(reader, writer, [identity])
    except pyrage.DecryptError as error:
        if "No matching keys" in str(error):
            raise BackupError(
                "BACKUP_KEY does not open this archive: it was encrypted for another key, or "
                "its header is damaged."
            ) from None
        raise BackupError(f"The archive is damaged or incomplete ({error}).") from None
    except OSError as error:
        if error.errno is not None:  # a real I/O error: a full disk, an unreadable file
            raise BackupError(f"Could not decrypt the archive: {error}.") from None
        # rage reports a chunk that fails authentication (a flipped byte, a cut-off end) as an
        # I/O error without an errno.
        raise BackupError(
            f"The archive failed authentication: it was altered or cut short ({error})."
        ) from None
