"""Per-op times at batch 512 in PyTorch on one thread: the shapes native-ops.mjs times on TensorFlow.

/path/to/python tools/bench/torch_ops.py   (a python with torch; run it alternately with native-ops.mjs)
"""
import time

import torch
from torch.nn import functional as F

torch.set_num_threads(1)


def median(f, n=30):
    for _ in range(3):
        f()
    ts = []
    for _ in range(n):
        start = time.perf_counter()
        f()
        ts.append(time.perf_counter() - start)
    return sorted(ts)[n // 2] * 1000


r = torch.randn
big, bias = r(512, 784), r(784)
a1, w1, a2, w2 = r(512, 784), r(784, 256), r(512, 256), r(256, 784)
rows = [
    ("x W, 512x784 . 784x256", lambda: a1 @ w1),
    ("x W, 512x256 . 256x784", lambda: a2 @ w2),
    ("dz W^T, 512x784 . (256x784)^T", lambda: a1 @ w2.t()),
    ("x^T dz, (512x784)^T . 512x256", lambda: a1.t() @ a2),
    ("x^T dz, (512x256)^T . 512x784", lambda: a2.t() @ a1),
    ("addmm (bias + x W), 512x256 . 256x784", lambda: torch.addmm(bias, a2, w2)),
    ("elu [512, 784]", lambda: F.elu(big)),
    ("sigmoid [512, 784]", lambda: torch.sigmoid(big)),
    ("mul [512, 784]", lambda: big * big),
    ("BCE with logits, summed [512, 784]", lambda: F.binary_cross_entropy_with_logits(big, big, reduction="sum")),
]
for name, f in rows:
    print(f"{name.ljust(40)} {median(f):.3f} ms")
