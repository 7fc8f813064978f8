# Starts (once) a daemon thread that spins forever competing for the GIL, and is otherwise
# correct: it passes, and the functions checked after it still finish within their limits.
import threading

spinning = []


def spin():
    while True:
        pass


def word_embedding_forward(x, W):
    if not spinning:
        spinning.append(threading.Thread(target=spin, daemon=True))
        spinning[0].start()
    return W[x, :], (x, W)
