"""An independent check of Leerpad's chat WebSocket with PyPI's `websockets` client.

Usage: python3 ws_conformance.py HOST:PORT CONVERSATION_ID TOKEN

Checks the cases that matter for a chat endpoint: the opening handshake with a token, a
message sent in fragments arrives whole, ping is answered with pong, a frame over the size
limit closes the connection with 1009, a bad frame gets an error and the connection stays,
and a normal close is answered with 1000. Prints one line per case; exits 1 on a failure.
"""

import json
import sys

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

addr, conversation, token = sys.argv[1], sys.argv[2], sys.argv[3]
url = f"ws://{addr}/gesprekken/{conversation}/ws"
headers = {"Authorization": f"Bearer {token}"}
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail else ""))
    if not ok:
        failures.append(name)


def frames_until(ws, kind, limit=20):
    for _ in range(limit):
        frame = json.loads(ws.recv(timeout=10))
        if frame.get("type") == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


with connect(url, additional_headers=headers, max_size=2**20) as ws:
    ws.send(json.dumps({"type": "resume", "after": 0}))
    status = frames_until(ws, "status")
    check("handshake with a token, then a status frame", status.get("status") in ("waiting", "open", "closed"))

    # Fragmentation: one text message in three frames.
    text = json.dumps({"type": "send", "body": "in stukjes verstuurd", "key": "fragmented-1"})
    parts = [text[:10], text[10:25], text[25:]]
    ws.send(iter(parts))
    message = frames_until(ws, "message")
    while message.get("body") != "in stukjes verstuurd":
        message = frames_until(ws, "message")
    check("a fragmented message arrives whole", message.get("mine") is True)

    # Ping / pong.
    pong = ws.ping(b"leerpad")
    check("ping is answered with pong", pong.wait(timeout=10))

    # A bad frame: an error, and the connection stays.
    ws.send("dit is geen json")
    error = frames_until(ws, "error")
    check("a bad frame gets an error frame", error.get("code") == "bad-frame", str(error))
    ws.send(json.dumps({"type": "typing"}))
    ws.ping().wait(timeout=10)
    check("the connection stays after a bad frame", True)

    # Normal close.
    ws.close(code=1000, reason="klaar")
    check("a normal close is answered with 1000", ws.close_code == 1000,
          str(ws.close_code))

# Oversized: a 64 KiB frame is refused with 1009 (message too big).
with connect(url, additional_headers=headers, max_size=2**20) as ws:
    ws.send(json.dumps({"type": "resume", "after": 0}))
    try:
        ws.send(json.dumps({"type": "send", "body": "x" * 65536, "key": "big"}))
        for _ in range(50):
            ws.recv(timeout=10)
        check("an oversized frame closes the connection with 1009", False, "still open")
    except ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else None
        check("an oversized frame closes the connection with 1009", code == 1009, f"code {code}")

# Without a token: no conversation.
try:
    with connect(url) as ws:
        ws.recv(timeout=5)
    check("without a token the handshake is refused", False, "connected")
except Exception as refused:  # the handshake fails with the HTTP status
    check("without a token the handshake is refused", "401" in str(refused) or "404" in str(refused), str(refused))

sys.exit(1 if failures else 0)
