#!/usr/bin/env python3
"""Writes constellation-v1.json: objects as Edgeless Systems Constellation's Go s3proxy stored them.

Produced independently of s3proxy's TypeScript code, with pyca/cryptography (OpenSSL), so the TS reader is
tested against another implementation than its own. The Go format (docs/LEGACY.md):

  body                           = nonce(12) || AES-256-GCM-SIV(DEK, nonce, plaintext, AAD = "") || tag(16)
  x-amz-meta-constellation-dek   = lowercase hex of AES-KWP(KEK, DEK)      (RFC 5649 / NIST SP 800-38F KWP)
  DEK                            = 32 random bytes per object; KEK = 32 bytes

Everything random (KEK, DEKs, nonces, plaintexts) comes from a SHA-256 counter stream over a fixed seed, so
running this again writes the same file byte for byte (`--check` verifies that). The committed JSON is frozen:
CI reads it and never needs Python.

    python3 test/vectors/legacy/generate_constellation_vectors.py          # (re)write the JSON
    python3 test/vectors/legacy/generate_constellation_vectors.py --check  # compare with the committed file
"""

import base64
import hashlib
import json
import sys
from pathlib import Path

import cryptography
from cryptography.hazmat.primitives.ciphers.aead import AESGCMSIV
from cryptography.hazmat.primitives.keywrap import (
    aes_key_unwrap_with_padding,
    aes_key_wrap_with_padding,
)

OUT = Path(__file__).with_name("constellation-v1.json")
SEED = b"s3proxy constellation legacy vectors v1"


def stream(label: str, length: int) -> bytes:
    """Deterministic bytes: SHA-256(seed || label || counter) blocks (not secret, reproducible)."""
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(SEED + b"|" + label.encode() + b"|" + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:length])


def self_check() -> None:
    """The primitives against their RFCs' own vectors before anything is written."""
    # RFC 5649 §6, first example (192-bit KEK, 20-byte key).
    kek = bytes.fromhex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8")
    key = bytes.fromhex("c37b7e6492584340bed12207808941155068f738")
    wrapped = bytes.fromhex("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a")
    assert aes_key_wrap_with_padding(kek, key) == wrapped, "RFC 5649 §6 vector 1"
    # RFC 5649 §6, second example (7-byte key).
    key2 = bytes.fromhex("466f7250617369")
    assert aes_key_wrap_with_padding(kek, key2) == bytes.fromhex("afbeb0f07dfbf5419200f2ccb50bb24f"), "RFC 5649 §6 vector 2"
    # RFC 8452 Appendix C.2, first AEAD_AES_256_GCM_SIV example (empty plaintext and AAD).
    k = bytes.fromhex("01" + "00" * 31)
    n = bytes.fromhex("03" + "00" * 11)
    assert AESGCMSIV(k).encrypt(n, b"", None) == bytes.fromhex("07f5f4169bbf55a8400cd47ea6fd400f"), "RFC 8452 C.2"


KEKS = {
    # The KEK an operator would have fetched from Constellation's keyservice (key id "s3proxy-kek", 32 bytes).
    "fixture": stream("kek/fixture", 32),
    # What the Go proxy really used: its object handlers never received the fetched KEK (zero value [32]byte).
    "zero": bytes(32),
}

OBJECTS = [
    # name, key, kek, plaintext length (or literal text), content type, user metadata, tagging
    ("small-normal", "legacy/small.txt", "fixture", b"hello from the Constellation s3proxy\n", "text/plain",
     {"owner": "alice"}, "project=legacy&team=infra"),
    ("empty-normal", "legacy/empty.bin", "fixture", b"", "application/octet-stream", {}, ""),
    # 2 * 64 KiB + 1: three 64 KiB segments once migrated into format v1 (two full, one of one byte).
    ("multi-normal", "legacy/multi.bin", "fixture", 2 * 65536 + 1, "application/octet-stream",
     {"source": "constellation"}, "kind=big"),
    ("small-zero", "legacy/zero-kek.txt", "zero", b"written while the Go proxy used the all-zero KEK\n",
     "text/plain", {"owner": "bob"}, ""),
    ("multi-zero", "legacy/zero-kek-multi.bin", "zero", 65536 + 7, "application/octet-stream", {}, ""),
]


def build() -> dict:
    objects = []
    for name, key, kek_name, content, content_type, metadata, tagging in OBJECTS:
        plaintext = content if isinstance(content, bytes) else stream(f"plaintext/{name}", content)
        dek = stream(f"dek/{name}", 32)
        nonce = stream(f"nonce/{name}", 12)
        kek = KEKS[kek_name]
        sealed = AESGCMSIV(dek).encrypt(nonce, plaintext, None)  # ciphertext || tag
        body = nonce + sealed
        wrapped = aes_key_wrap_with_padding(kek, dek)
        # Round trip through the same library: the vector must at least open where it was made.
        assert aes_key_unwrap_with_padding(kek, wrapped) == dek
        assert AESGCMSIV(dek).decrypt(body[:12], body[12:], None) == plaintext
        entry = {
            "name": name,
            "key": key,
            "kek": kek_name,
            "contentType": content_type,
            # As S3 returns them (x-amz-meta-<name>); constellation-dek is the Go proxy's own entry.
            "metadata": {**metadata, "constellation-dek": wrapped.hex()},
            "tagging": tagging,
            "dekHex": dek.hex(),
            "nonceHex": nonce.hex(),
            "bodyBase64": base64.b64encode(body).decode(),
            "storedLength": len(body),
            "plaintextLength": len(plaintext),
            "plaintextSha256": hashlib.sha256(plaintext).hexdigest(),
        }
        if len(plaintext) <= 256:
            entry["plaintextBase64"] = base64.b64encode(plaintext).decode()
        objects.append(entry)
    return {
        "description": "Objects in the format of Constellation's Go s3proxy (docs/LEGACY.md), for the legacy reader "
        "and `s3proxy migrate`. Generated by generate_constellation_vectors.py; do not edit by hand.",
        "generator": "test/vectors/legacy/generate_constellation_vectors.py",
        "library": f"pyca/cryptography {cryptography.__version__} (AESGCMSIV, aes_key_wrap_with_padding)",
        "format": {
            "metadata": "x-amz-meta-constellation-dek = hex(AES-KWP(KEK, DEK))",
            "body": "nonce(12) || AES-256-GCM-SIV ciphertext || tag(16), AAD empty",
            "overhead": 28,
        },
        "keks": {name: kek.hex() for name, kek in KEKS.items()},
        "objects": objects,
    }


def main() -> int:
    self_check()
    text = json.dumps(build(), indent=2) + "\n"
    if "--check" in sys.argv[1:]:
        same = OUT.exists() and OUT.read_text() == text
        print(f"{OUT.name}: {'up to date' if same else 'DIFFERS from a fresh run'}")
        return 0 if same else 1
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
