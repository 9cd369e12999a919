"""An MLP on the digits data, in PyTorch, tuned by ``tunekit run`` (CPU or GPU).

    npx tunekit run examples/cli/pytorch-mlp.yaml                          # CPU
    npx tunekit run examples/cli/pytorch-mlp.yaml --gpus 0,1,2,3           # 4 trials at once, one GPU each

tunekit fills in the arguments from the study file's command template and sets
CUDA_VISIBLE_DEVICES when it shares GPUs; this script reports the validation accuracy after
every epoch with ``tunekit_protocol.report`` (the pruner may stop it there) and the final one with
``tunekit_protocol.result``. Run it by hand too: ``python3 train.py --lr 0.01``.

Data: digits.csv.gz, the "Optical Recognition of Handwritten Digits" data set (test set, 1797
8x8 images of 10 digits) by E. Alpaydin and C. Kaynak, UCI Machine Learning Repository (1998),
CC BY 4.0, as distributed with scikit-learn. Each row: 64 pixel values (0..16), then the label.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import tunekit_protocol as tk  # noqa: E402


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="adam")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--momentum", type=float, default=0.0, help="SGD only")
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--units", type=int, default=64)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="CPU threads (keep 1 when trials run concurrently)")
    p.add_argument("--data", default=os.path.join(HERE, "digits.csv.gz"))
    return p.parse_args()


def load(path: str, device: torch.device):
    with gzip.open(path, "rt") as f:
        data = np.loadtxt(f, delimiter=",", dtype=np.float32)
    x = torch.from_numpy(data[:, :64] / 16.0)
    y = torch.from_numpy(data[:, 64].astype(np.int64))
    # A fixed split, the same for every trial: 80% train, 20% validation.
    perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(1234))
    n_val = len(y) // 5
    val, train = perm[:n_val], perm[n_val:]
    return (x[train].to(device), y[train].to(device)), (x[val].to(device), y[val].to(device))


def build(layers: int, units: int, dropout: float) -> nn.Module:
    blocks: list[nn.Module] = []
    width = 64
    for _ in range(layers):
        blocks += [nn.Linear(width, units), nn.ReLU(), nn.Dropout(dropout)]
        width = units
    blocks.append(nn.Linear(width, 10))
    return nn.Sequential(*blocks)


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, args.threads))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    (x_train, y_train), (x_val, y_val) = load(args.data, device)
    model = build(args.layers, args.units, args.dropout).to(device)
    if args.optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    print(f"device {device} ({os.environ.get('CUDA_VISIBLE_DEVICES', 'no CUDA_VISIBLE_DEVICES')}), "
          f"{len(y_train)} train / {len(y_val)} validation rows", flush=True)

    started = time.time()
    acc = 0.0
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(y_train), device=device)
        for i in range(0, len(order), args.batch_size):
            idx = order[i : i + args.batch_size]
            opt.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = (model(x_val).argmax(dim=1) == y_val).float().mean().item()
        print(f"epoch {epoch}: train loss {loss.item():.4f}, validation accuracy {acc:.4f}", flush=True)
        tk.report(acc, step=epoch)

    tk.attrs(device=str(device), seconds=round(time.time() - started, 3))
    tk.result(acc)


if __name__ == "__main__":
    main()
