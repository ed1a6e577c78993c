"""The seeds' MNIST VAE in PyTorch on one CPU thread: training examples per second.

Run with Debian's interpreter (it has torch): /usr/bin/python3 tools/bench/torch_vae.py 128 512
Prints one JSON line: {"framework": "pytorch", "threads": 1, "batch": {...examples per second...}}.
With --serve THREADS BATCH it is one trainer of the interleaved comparison in native.mjs: it warms
up, prints {"ready": ...}, then answers "round SECONDS" with {"examplesPerSecond": n} until "quit".
The data are random binary images: the speed of a dense network does not depend on pixel values.
"""
import json
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(0)


class VAE(nn.Module):
    def __init__(self, zdim=2):
        super().__init__()
        self.zdim = zdim
        self.encoder = nn.Sequential(
            nn.Linear(784, 256), nn.ELU(), nn.Linear(256, 64), nn.ELU(), nn.Linear(64, 32), nn.ELU(), nn.Linear(32, 2 * zdim)
        )
        self.decoder = nn.Sequential(
            nn.Linear(zdim, 32), nn.Linear(32, 64), nn.ELU(), nn.Linear(64, 256), nn.ELU(), nn.Linear(256, 784)
        )

    def loss(self, x):
        mu, logvar = torch.split(self.encoder(x), self.zdim, dim=1)
        std = (0.5 * logvar).exp()
        z = mu + std * torch.randn_like(mu)
        logits = self.decoder(z)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kl = -0.5 * (1 + logvar - mu * mu - std * std).sum()
        return (rec + kl) / x.shape[0]


def make_step(batch):
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    data = (torch.rand(batch * 8, 784) < 0.13).float()

    def step(i):
        x = data[(i % 8) * batch:(i % 8 + 1) * batch]
        opt.zero_grad()
        loss = model.loss(x)
        loss.backward()
        opt.step()
        # The tfjs trainers read the loss back every step; so does this one.
        return loss.item()

    return step


def examples_per_second(batch, seconds=3.0):
    step = make_step(batch)

    for i in range(5):
        step(i)
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        step(n)
        n += 1
    return batch * n / (time.perf_counter() - start)


def serve(threads, batch):
    torch.set_num_threads(threads)
    step = make_step(batch)
    for i in range(5):
        step(i)
    print(json.dumps({"ready": f"pytorch {torch.__version__}, {threads} threads"}), flush=True)
    i = 0
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        seconds = float(parts[1])
        n = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            step(i)
            i += 1
            n += 1
        print(json.dumps({"examplesPerSecond": batch * n / (time.perf_counter() - start)}), flush=True)


if __name__ == "__main__" and sys.argv[1:2] == ["--serve"]:
    serve(int(sys.argv[2]), int(sys.argv[3]))
elif __name__ == "__main__":
    batches = [int(b) for b in sys.argv[1:]] or [128, 512]
    result = {str(b): round(examples_per_second(b)) for b in batches}
    print(json.dumps({"framework": "pytorch", "version": torch.__version__, "threads": 1, "examplesPerSecond": result}))
