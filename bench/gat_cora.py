"""The GAT network of bench/gat_cora.cpp in plain PyTorch (no PyG), for a side-by-side timing.

Same model and training as the C++ side: row-normalised dense features, two attention layers
(8 heads x 8 units, ELU; then 1 head to the classes), dropout 0.6 on inputs and coefficients,
Adam lr 0.005, weight decay 5e-4, full batch, evaluation after every epoch with the best
validation epoch kept. Prints one line per run and "seconds_per_run S" last.

usage: OMP_NUM_THREADS=1 /usr/bin/python3 bench/gat_cora.py --data DIR [--epochs 200] [--runs 3]
"""
import argparse
import math
import os
import time

import torch
import torch.nn.functional as F


def read_lines(path, header=True):
    with open(path) as f:
        lines = f.read().splitlines()
    return lines[1:] if header else lines


def load(directory):
    name = os.path.basename(os.path.normpath(directory))
    path = lambda suffix: os.path.join(directory, f"{name}.{suffix}.txt")
    feature_lines = read_lines(path("features"))
    with open(path("features")) as f:
        header = f.readline()
    width = int(header.split("F=")[1].split(";")[0].split()[0])
    features = torch.zeros(len(feature_lines), width)
    for node, line in enumerate(feature_lines):
        for token in line.split():
            if token != "?":
                column, value = token.split(":")
                features[node, int(column)] = float(value)
    features = features / features.sum(1, keepdim=True).clamp_min(1e-12)
    labels = torch.tensor([int(v) for v in read_lines(path("labels"))])
    pairs = [tuple(map(int, line.split())) for line in read_lines(path("edges"))]
    u = torch.tensor([p[0] for p in pairs])
    v = torch.tensor([p[1] for p in pairs])
    edges = torch.stack([torch.cat([u, v]), torch.cat([v, u])])
    split = lambda s: torch.tensor([int(v) for v in read_lines(path(s), header=False) if v])
    return features, labels, edges, split("train"), split("val"), split("test")


class AttentionLayer(torch.nn.Module):
    def __init__(self, fan_in, units, heads, concat):
        super().__init__()
        self.units, self.heads, self.concat = units, heads, concat
        self.weight = torch.nn.Parameter(torch.empty(heads * units, fan_in))
        self.left = torch.nn.Parameter(torch.empty(1, heads, units))
        self.right = torch.nn.Parameter(torch.empty(1, heads, units))
        self.bias = torch.nn.Parameter(torch.zeros(heads * units if concat else units))
        for p, fi, fo in ((self.weight, fan_in, heads * units), (self.left, units, heads), (self.right, units, heads)):
            bound = math.sqrt(6.0 / (fi + fo))
            torch.nn.init.uniform_(p, -bound, bound)

    def forward(self, x, edges):
        n = x.size(0)
        x = F.dropout(x, 0.6, self.training)
        h = F.linear(x, self.weight).view(n, self.heads, self.units)
        source, target = edges[0], edges[1]
        scores = F.leaky_relu((h * self.left).sum(-1)[target] + (h * self.right).sum(-1)[source], 0.2)
        expanded = target.view(-1, 1).expand_as(scores)
        maxima = torch.zeros(n, self.heads).scatter_reduce(0, expanded, scores.detach(), "amax", include_self=False)
        weights = (scores - maxima[target]).exp()
        weights = weights / (torch.zeros(n, self.heads).index_add(0, target, weights)[target] + 1e-16)
        weights = F.dropout(weights, 0.6, self.training)
        out = torch.zeros(n, self.heads, self.units).index_add(0, target, h[source] * weights.unsqueeze(-1))
        out = out.reshape(n, -1) if self.concat else out.mean(1)
        return out + self.bias


class Gat(torch.nn.Module):
    def __init__(self, features, classes):
        super().__init__()
        self.hidden = AttentionLayer(features, 8, 8, True)
        self.output = AttentionLayer(64, classes, 1, False)

    def forward(self, x, edge_index):
        loops = torch.arange(x.size(0))
        edges = torch.cat([edge_index, torch.stack([loops, loops])], 1)
        return self.output(F.elu(self.hidden(x, edges)), edges)


def train(data, epochs, seed):
    features, labels, edges, train_nodes, val_nodes, test_nodes = data
    torch.manual_seed(seed)
    model = Gat(features.size(1), int(labels.max()) + 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)
    best = (-1.0, 0.0, 0.0)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(features, edges)[train_nodes], labels[train_nodes])
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(features, edges)
            val_loss = F.cross_entropy(logits[val_nodes], labels[val_nodes]).item()
            val = (logits[val_nodes].argmax(1) == labels[val_nodes]).float().mean().item()
            if val > best[0] or (val == best[0] and val_loss < best[1]):
                test = (logits[test_nodes].argmax(1) == labels[test_nodes]).float().mean().item()
                best = (val, val_loss, test)
                state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(state)
    return best, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    data = load(args.data)
    seconds = []
    for run in range(args.runs):
        (val, _, test), elapsed = train(data, args.epochs, 1000 + run)
        seconds.append(elapsed)
        print(f"run {run}: val {100 * val:.1f}  test {100 * test:.1f}  ({elapsed:.2f} s)", flush=True)
    print(f"seconds_per_run {sum(seconds) / len(seconds):.3f}")


if __name__ == "__main__":
    main()
