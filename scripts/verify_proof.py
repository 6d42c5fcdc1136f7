#!/usr/bin/env python3
"""Check an inclusion proof of the 全过程记录 with the Python standard library alone.

The document verification page (/documents/verify/<code>/) links its proof as JSON
(/documents/verify/<code>/proof.json):

    {"head": {"stream": "case:12", "seq": 9, "hash": "…"},
     "path": [{"side": "left" | "right", "hash": "…"}, …],
     "checkpoint": {"id": 3, "at": "…", "prev_hash": "…", "hash": "…",
                    "merkle_root": "…", "signature": "…"},
     "public_key": "…"}

This script recomputes the Merkle path (SM3, as ledger/chain.py: a leaf is
SM3("leaf:" + JSON [stream, seq, hash]), a node SM3("node:" + left + right)) from the head to
the root and compares it with the checkpoint's merkle_root. It then prints the message the
checkpoint's SM2 signature covers, to check with any SM2 tool and the public key published on
the public site (全过程记录校验); with the gmssl package installed it checks it too.

    python3 scripts/verify_proof.py proof.json     # exit 0: the head is in the checkpoint
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any


def sm3_hex(text: str) -> str:
    return hashlib.new("sm3", text.encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def root_of(head: dict[str, Any], path: list[dict[str, str]]) -> str:
    digest = sm3_hex("leaf:" + canonical([head["stream"], head["seq"], head["hash"]]))
    for step in path:
        if step["side"] == "left":
            digest = sm3_hex("node:" + step["hash"] + digest)
        elif step["side"] == "right":
            digest = sm3_hex("node:" + digest + step["hash"])
        else:
            raise ValueError(f"unknown side {step['side']!r}")
    return digest


def signed_message(cp: dict[str, Any]) -> str:
    keys = ("at", "hash", "merkle_root", "prev_hash")
    return canonical({k: cp[k] for k in keys})


def check(proof: dict[str, Any]) -> bool:
    """True when the head's path leads to the checkpoint's Merkle root."""
    return root_of(proof["head"], proof["path"]) == proof["checkpoint"]["merkle_root"]


def signature_ok(proof: dict[str, Any]) -> bool | None:
    """The SM2 signature checked with gmssl when it is installed; None when it is not."""
    try:
        from gmssl import sm2
    except ImportError:
        return None
    public = str(proof["public_key"])
    if len(public) == 130 and public.startswith("04"):
        public = public[2:]  # the uncompressed-point prefix, if a tool added it
    checker = sm2.CryptSM2(private_key=None, public_key="")
    # Set after construction: gmssl's constructor strips a key beginning with "04" with
    # lstrip("04"), every leading 0 and 4, which breaks a key whose x begins with 04 (1 in 256).
    checker.public_key = public
    message = signed_message(proof["checkpoint"]).encode("utf-8")
    return bool(checker.verify_with_sm3(proof["checkpoint"]["signature"], message))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as fh:
        proof = json.load(fh)
    try:
        included = check(proof)
    except (KeyError, TypeError, ValueError) as exc:
        print(f"证明格式有误：{exc}")
        return 1
    head, cp = proof["head"], proof["checkpoint"]
    if not included:
        print(f"不通过：{head['stream']} 第{head['seq']}条不在第{cp['id']}号检查点中")
        return 1
    print(f"通过：{head['stream']} 第{head['seq']}条包含在第{cp['id']}号检查点（默克尔根一致）")
    print(f"签名内容：{signed_message(cp)}")
    print(f"签名（SM2）：{cp['signature']}\n公钥：{proof['public_key']}")
    signed = signature_ok(proof)
    if signed is False:
        print("不通过：检查点签名与公钥不符")
        return 1
    print("签名核对通过" if signed else "（未安装 gmssl：请用 SM2 工具核对签名）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
