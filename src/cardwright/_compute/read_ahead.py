"""Reading ahead: the next batch of a file is decoded on another thread while the caller counts
the current one (pyarrow decodes without holding the GIL, so on two cores both go at once).

The batches arrive in the reader's order and an error of the reader is raised where the caller
would have met it; when the caller stops early, the reader stops after the batch it is decoding.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_END = object()


def read_ahead(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """``items``, each read while the previous one is used (at most ``depth`` waiting)."""
    waiting: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(entry: tuple[Any, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                waiting.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not hand_over((item, None)):
                    return
            hand_over((_END, None))
        except BaseException as e:  # handed to the caller, raised there in order
            hand_over((_END, e))

    reader = threading.Thread(target=read, name="cardwright-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item, error = waiting.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        reader.join()
