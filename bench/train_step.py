"""PyTorch reference for `npm run bench:train`: the same WGAN-GP step on the same layer shapes as
bench/ganReplica.ts (critic phase with a second-order gradient penalty, generator phase with adversarial + L1,
Adam on both, BatchNorm in training mode), so images/s can be compared on the same machine.

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/train_step.py '<config json>' <batch> <threads> <steps>
Prints one JSON line: {"threads": t, "batch": n, "seconds_per_step": s, "images_per_second": r}.
"""
import json
import sys
import time

import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ch = cfg["generatorChannels"]
        c = cfg["channels"]
        self.skips = set(cfg["generatorSkips"])
        self.enc = nn.ModuleList()
        prev = c
        for filters in ch:
            self.enc.append(nn.Sequential(nn.Conv2d(prev, filters, 4, 2, 1, bias=False), nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01), nn.ReLU()))
            prev = filters
        self.bottom = cfg["imageSize"] // 16
        flat = self.bottom * self.bottom * ch[3]
        self.code = nn.Sequential(nn.Linear(flat, cfg["imageCodeSize"], bias=False), nn.BatchNorm1d(cfg["imageCodeSize"], eps=1e-3, momentum=0.01), nn.ReLU())
        self.fc = nn.Sequential(nn.Linear(cfg["imageCodeSize"] + cfg["landmarkCodeSize"], flat, bias=False), nn.BatchNorm1d(flat, eps=1e-3, momentum=0.01), nn.ReLU())
        self.dec = nn.ModuleDict()
        prev = ch[3]
        for stage in (2, 1, 0):
            self.dec[str(stage)] = nn.Sequential(nn.ConvTranspose2d(prev, ch[stage], 4, 2, 1, bias=False), nn.BatchNorm2d(ch[stage], eps=1e-3, momentum=0.01), nn.ReLU())
            prev = ch[stage] * (2 if stage in self.skips else 1)
        self.out = nn.ConvTranspose2d(prev, c, 4, 2, 1)
        self.ch3 = ch[3]

    def forward(self, image, code):
        encoded = []
        x = image
        for layer in self.enc:
            x = layer(x)
            encoded.append(x)
        z = self.code(x.flatten(1))
        y = self.fc(torch.cat([z, code], 1)).view(-1, self.ch3, self.bottom, self.bottom)
        for stage in (2, 1, 0):
            y = self.dec[str(stage)](y)
            if stage in self.skips:
                y = torch.cat([y, encoded[stage]], 1)
        return torch.tanh(self.out(y))


class Critic(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        layers = []
        prev = cfg["channels"]
        size = cfg["imageSize"]
        for i, filters in enumerate(cfg["criticChannels"]):
            size //= 2
            layers.append(nn.Conv2d(prev, filters, 4, 2, 1))
            if i > 0:
                layers.append(nn.LayerNorm([filters, size, size], eps=1e-3))
            layers.append(nn.LeakyReLU(cfg["leakySlope"]))
            prev = filters
        layers.append(nn.Conv2d(prev, 1, 3, 1, 0))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def main():
    cfg = json.loads(sys.argv[1])
    batch = int(sys.argv[2])
    threads = int(sys.argv[3])
    steps = int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    g, d = Generator(cfg), Critic(cfg)
    betas = (cfg["adamBeta1"], cfg["adamBeta2"])
    opt_g = torch.optim.Adam(g.parameters(), lr=cfg["learningRate"], betas=betas)
    opt_d = torch.optim.Adam(d.parameters(), lr=cfg["learningRate"], betas=betas)
    s, c = cfg["imageSize"], cfg["channels"]
    inp = torch.rand(batch, c, s, s) * 2 - 1
    target = torch.rand(batch, c, s, s) * 2 - 1
    code = torch.rand(batch, cfg["landmarkCodeSize"]) * 2 - 1

    def step():
        # Critic phase: G runs without a graph; the penalty differentiates D w.r.t. its input (create_graph).
        for p in d.parameters():
            p.requires_grad_(True)
        with torch.no_grad():
            fake = g(inp, code)
        eps = torch.rand(batch, 1, 1, 1)
        mixed = (eps * target + (1 - eps) * fake).requires_grad_(True)
        (grad,) = torch.autograd.grad(d(mixed).sum(), mixed, create_graph=True)
        gp = ((grad.pow(2).sum((1, 2, 3)) + 1e-12).sqrt() - 1).pow(2).mean()
        loss_d = d(fake).mean() - d(target).mean() + cfg["gradientPenaltyWeight"] * gp
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        # Generator phase: D is only differentiated through, not trained.
        for p in d.parameters():
            p.requires_grad_(False)
        fake = g(inp, code)
        loss_g = -cfg["lossWeights"]["adversarial"] * d(fake).mean() + (fake - target).abs().mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()

    step()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = (time.perf_counter() - start) / steps
    print(json.dumps({"threads": threads, "batch": batch, "seconds_per_step": seconds, "images_per_second": batch / seconds}))


if __name__ == "__main__":
    main()
