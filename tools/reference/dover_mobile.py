"""Minimal PyTorch re-implementation of DOVER-Mobile (inflated 3D ConvNeXt-V2 + VQA head).

State-dict keys match upstream DOVER, e.g. ``technical_backbone.stages.2.5.grn.gamma``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

BRANCHES = ("technical", "aesthetic")
FULL = dict(dims=(48, 96, 192, 384), depths=(2, 2, 6, 2), head_hidden=32)
TINY = dict(dims=(8, 16, 24, 32), depths=(2, 2, 6, 2), head_hidden=8)
FULL_PARAMS_WITHOUT_CLASSIFIER = 9_904_546


class LayerNormChannelsFirst(nn.Module):
    """LayerNorm over dim 1 of an (N, C, T, H, W) tensor, written out as upstream does."""

    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))
        self.eps = eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight[:, None, None, None] * x + self.bias[:, None, None, None]


class GRN(nn.Module):
    """Global Response Normalization on channels-last (N, T, H, W, C) data.

    Upstream quirk, kept on purpose: the L2 norm reduces over dims (1, 2) = T and H only, not W.
    """

    def __init__(self, dim):
        super().__init__()
        self.gamma = nn.Parameter(torch.zeros(1, 1, 1, dim))
        self.beta = nn.Parameter(torch.zeros(1, 1, 1, dim))

    def forward(self, x):
        gx = torch.norm(x, p=2, dim=(1, 2), keepdim=True)
        nx = gx / (gx.mean(dim=-1, keepdim=True) + 1e-6)
        return self.gamma * (x * nx) + self.beta + x


class Block(nn.Module):
    def __init__(self, dim, k):
        super().__init__()
        self.dwconv = nn.Conv3d(dim, dim, (k, 7, 7), padding=(k // 2, 3, 3), groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.act = nn.GELU()
        self.grn = GRN(4 * dim)
        self.pwconv2 = nn.Linear(4 * dim, dim)

    def forward(self, x):
        y = self.dwconv(x).permute(0, 2, 3, 4, 1)  # N,T,H,W,C
        y = self.pwconv2(self.grn(self.act(self.pwconv1(self.norm(y)))))
        return x + y.permute(0, 4, 1, 2, 3)


class ConvNeXtV2_3D(nn.Module):
    def __init__(self, dims, depths, num_classes=1000):
        super().__init__()
        self.downsample_layers = nn.ModuleList([nn.Sequential(
            nn.Conv3d(3, dims[0], (2, 4, 4), stride=(2, 4, 4)), LayerNormChannelsFirst(dims[0]))])
        for i in range(1, 4):
            self.downsample_layers.append(nn.Sequential(
                LayerNormChannelsFirst(dims[i - 1]),
                nn.Conv3d(dims[i - 1], dims[i], (1, 2, 2), stride=(1, 2, 2))))
        self.stages = nn.ModuleList(
            nn.Sequential(*[Block(dims[s], int("131"[b % 3])) for b in range(depths[s])])
            for s in range(4))
        self.norm = nn.LayerNorm(dims[-1], eps=1e-6)
        self.head = nn.Linear(dims[-1], num_classes)  # unused ImageNet classifier (kept for keys)

    def forward(self, x):
        for down, stage in zip(self.downsample_layers, self.stages):
            x = stage(down(x))
        return self.norm(x.permute(0, 2, 3, 4, 1)).permute(0, 4, 1, 2, 3)


class VQAHead(nn.Module):
    def __init__(self, in_channels, hidden):
        super().__init__()
        self.fc_hid = nn.Conv3d(in_channels, hidden, 1)
        self.gelu = nn.GELU()
        self.fc_last = nn.Conv3d(hidden, 1, 1)

    def forward(self, x):
        return self.fc_last(self.gelu(self.fc_hid(x)))


class Branch(nn.Module):
    """backbone + head; returns (head_map N x 1 x T' x H' x W', score N)."""

    def __init__(self, backbone, head):
        super().__init__()
        self.backbone, self.head = backbone, head

    def forward(self, x):
        m = self.head(self.backbone(x))
        return m, m.mean(dim=(1, 2, 3, 4))


class DoverMobile(nn.Module):
    def __init__(self, dims=FULL["dims"], depths=FULL["depths"], head_hidden=FULL["head_hidden"]):
        super().__init__()
        self.dims, self.depths, self.head_hidden = list(dims), list(depths), head_hidden
        for b in BRANCHES:
            setattr(self, f"{b}_backbone", ConvNeXtV2_3D(dims, depths))
            setattr(self, f"{b}_head", VQAHead(dims[-1], head_hidden))

    def branch(self, name):
        return Branch(getattr(self, f"{name}_backbone"), getattr(self, f"{name}_head"))

    def forward(self, inputs):
        """inputs: dict branch -> clips tensor; returns dict branch -> (head_map, score)."""
        return {b: self.branch(b)(x) for b, x in inputs.items()}

    def param_counts(self):
        total = sum(p.numel() for p in self.parameters())
        cls = sum(p.numel() for n, p in self.named_parameters() if ".head." in n and "backbone" in n)
        return total - cls, total
