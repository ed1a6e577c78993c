"""The seeds' MNIST VAE in PyTorch on one CPU thread: training examples per second.

Run with Debian's interpreter (it has torch): /usr/bin/python3 tools/bench/torch_vae.py 128 512
Prints one JSON line: {"framework": "pytorch", "threads": 1, "batch": {...examples per second...}}.
With --serve THREADS BATCH it is one trainer of the interleaved comparison in native.mjs: it warms
up, prints {"ready": ...}, then answers "round SECONDS" with {"examplesPerSecond": n} until "quit".

With --spherical 3,11 [--quick]: batch 128, latent size d, a Gaussian (N(0, I) prior), a von
Mises-Fisher and a Power Spherical posterior (uniform prior on S^{d-1}), each step timed in
interleaved rounds; {"examplesPerSecond": {"gaussian-3": ..., "vmf-3": ..., ...}}. The von
Mises-Fisher model follows s-vae (Davidson et al. 2018): Wood's rejection sampler (the exact
inverse CDF at d = 3), the pathwise gradient through the accepted proposal, and the KL to the
uniform with log I_v from scipy's exponentially scaled ive in an autograd function; the code is
written here from the algorithm, not copied.
The data are random binary images: the speed of a dense network does not depend on pixel values.
"""
import json
import math
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


class Ive(torch.autograd.Function):
    """ive(v, z) = I_v(z) e^-z with d/dz ive = ive(v - 1, z) - ive(v, z) (v + z) / z."""

    @staticmethod
    def forward(ctx, v, z):
        import scipy.special  # only the spherical models need it

        ctx.save_for_backward(z)
        ctx.v = v
        return torch.from_numpy(scipy.special.ive(v, z.detach().double().numpy())).to(z.dtype)

    @staticmethod
    def backward(ctx, grad):
        import scipy.special

        (z,) = ctx.saved_tensors
        zd = z.detach().double().numpy()
        v = ctx.v
        d = scipy.special.ive(v - 1, zd) - scipy.special.ive(v, zd) * (v + zd) / zd
        return None, grad * torch.from_numpy(d).to(z.dtype)


def log_sphere_area(d):
    return math.log(2) + (d / 2) * math.log(math.pi) - math.lgamma(d / 2)


def householder_to(mu, w, v):
    """z = H [w, sqrt(1 - w^2) v] with H e1 = mu (v uniform on S^{d-2})."""
    x = torch.cat([w, (1 - w * w).clamp_min(1e-12).sqrt() * v], dim=-1)
    e1 = torch.zeros_like(mu)
    e1[:, 0] = 1
    u = e1 - mu
    u = u / u.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    return x - 2 * (x * u).sum(-1, keepdim=True) * u


def tangent_noise(n, d):
    v = torch.randn(n, d - 1)
    return v / v.norm(dim=-1, keepdim=True)


def vmf_sample_w(kappa, d):
    """w = mu^T z: exact inverse CDF at d = 3, else Wood (1994) with the pathwise gradient."""
    if d == 3:
        u = torch.rand_like(kappa)
        return 1 + torch.log(u + (1 - u) * torch.exp(-2 * kappa)) / kappa
    m1 = d - 1
    b = m1 / (2 * kappa + torch.sqrt(4 * kappa * kappa + m1 * m1))
    x0 = (1 - b) / (1 + b)
    c = kappa * x0 + m1 * torch.log(1 - x0 * x0)
    beta = torch.distributions.Beta(torch.full_like(kappa, m1 / 2), torch.full_like(kappa, m1 / 2))
    eps = torch.zeros_like(kappa)
    todo = torch.ones_like(kappa, dtype=torch.bool)
    with torch.no_grad():
        while todo.any():
            e = beta.sample()
            w = (1 - (1 + b) * e) / (1 - (1 - b) * e)
            accept = kappa * w + m1 * torch.log(1 - x0 * w) - c >= torch.log(torch.rand_like(kappa))
            new = todo & accept
            eps[new] = e[new]
            todo = todo & ~accept
    return (1 - (1 + b) * eps) / (1 - (1 - b) * eps)


def vmf_kl_uniform(kappa, d):
    """KL(vMF || U) = -H + log|S^{d-1}|, H = -kappa A_d - log C_d, via ive."""
    v = d / 2 - 1
    ive_v = Ive.apply(v, kappa)
    ive_v1 = Ive.apply(v + 1, kappa)
    log_c = v * torch.log(kappa) - (v + 1) * math.log(2 * math.pi) - (torch.log(ive_v) + kappa)
    entropy = -kappa * ive_v1 / ive_v - log_c
    return log_sphere_area(d) - entropy


def ps_sample_w(kappa, d):
    beta = (d - 1) / 2
    t = torch.distributions.Beta(kappa + beta, torch.full_like(kappa, beta)).rsample()
    return 2 * t - 1


def ps_kl_uniform(kappa, d):
    beta = (d - 1) / 2
    alpha = kappa + beta
    log_n = (alpha + beta) * math.log(2) + beta * math.log(math.pi) + torch.lgamma(alpha) - torch.lgamma(alpha + beta)
    entropy = log_n - kappa * (math.log(2) + torch.digamma(alpha) - torch.digamma(alpha + beta))
    return log_sphere_area(d) - entropy


class SphericalVAE(VAE):
    """The same network; the head gives a direction and a concentration softplus(.) + 1."""

    def __init__(self, d, family):
        super().__init__(zdim=d)
        self.family = family
        self.encoder[-1] = nn.Linear(32, d + 1)

    def loss(self, x):
        h = self.encoder(x)
        mu = h[:, :-1] / h[:, :-1].norm(dim=-1, keepdim=True)
        kappa = F.softplus(h[:, -1:]) + 1
        d = self.zdim
        w = vmf_sample_w(kappa, d) if self.family == "vmf" else ps_sample_w(kappa, d)
        z = householder_to(mu, w, tangent_noise(x.shape[0], d))
        logits = self.decoder(z)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kl = (vmf_kl_uniform if self.family == "vmf" else ps_kl_uniform)(kappa.squeeze(-1), d).sum()
        return (rec + kl) / x.shape[0]


def spherical_rates(dims, quick):
    batch = 128
    data = (torch.rand(batch * 8, 784) < 0.13).float()
    runs = {}
    for d in dims:
        for name in ("gaussian", "vmf", "power-spherical"):
            model = VAE(zdim=d) if name == "gaussian" else SphericalVAE(d, name)
            runs[f"{name}-{d}"] = (model, torch.optim.Adam(model.parameters(), lr=3e-4))
    counter = [0]

    def step(model, opt):
        i = counter[0] % 8
        counter[0] += 1
        opt.zero_grad()
        model.loss(data[i * batch:(i + 1) * batch]).backward()
        opt.step()

    for model, opt in runs.values():
        for _ in range(3):
            step(model, opt)
    per_round = {key: [] for key in runs}
    for _ in range(3 if quick else 7):
        for key, (model, opt) in runs.items():
            n = 0
            start = time.perf_counter()
            while time.perf_counter() - start < (0.25 if quick else 1.5):
                step(model, opt)
                n += 1
            per_round[key].append(batch * n / (time.perf_counter() - start))
    return {key: round(sorted(r)[len(r) // 2]) for key, r in per_round.items()}


if __name__ == "__main__" and sys.argv[1:2] == ["--serve"]:
    serve(int(sys.argv[2]), int(sys.argv[3]))
elif __name__ == "__main__" and "--spherical" in sys.argv:
    dims = [int(d) for d in sys.argv[sys.argv.index("--spherical") + 1].split(",")]
    rates = spherical_rates(dims, "--quick" in sys.argv)
    print(json.dumps({"framework": "pytorch", "version": torch.__version__, "threads": 1, "examplesPerSecond": rates}))
elif __name__ == "__main__":
    batches = [int(b) for b in sys.argv[1:]] or [128, 512]
    result = {str(b): round(examples_per_second(b)) for b in batches}
    print(json.dumps({"framework": "pytorch", "version": torch.__version__, "threads": 1, "examplesPerSecond": result}))
