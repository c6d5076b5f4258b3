#!/usr/bin/python3
"""Rate of the official einspace implementation: architectures sampled, or mutated, per second.

    python3 bench/einspace_official_rate.py --official DIR --seconds S [--seed N] [--mode sample|mutate]

DIR is a checkout of the official repository (github.com/linusericsson/einspace); its package
`einspace` is imported from there and none of its code lives here. Prints one JSON line on stdout;
everything the official code prints goes to stderr's counters instead (it prints several lines per
sample).

Settings follow the official configs/cifar100/re_cifar100.yaml, the official config at 3x32x32:
input_shape (batch_size 128, 3, 32, 32), input_mode "im", computation_module_prob 0.32,
min_module_depth 0, max_module_depth 100, num_repeated_cells 1 (the EinSpace defaults too).
`--mode sample` calls EinSpace.sample() repeatedly. `--mode mutate` calls EinSpace.mutate() (safe
mode, the default the official regularised evolution uses) on the parent that config seeds its
population with, the `wideresnet16_4` seed architecture, every time from that same parent, so the
figure does not depend on how fast sampling is.

One core: torch.set_num_threads(1). The address space is limited with RLIMIT_AS (--memory-gib,
default 8) because single samples of the official space try to allocate gigabytes: a sample that
fails for memory counts as a failure. mutate() retries internally after any exception (printing
"MutationError: ..."), so its failed attempts are counted from those messages, memory ones apart.
The wall budget is enforced with a timer signal: the sample or mutation running when it ends is
reported as unfinished, not counted.

Dependencies: Debian 12's /usr/bin/python3 with python3-torch, python3-psutil, python3-yaml,
python3-numpy and python3-sympy. The official modules import packages that sampling and mutation
never use, which Debian 12 lacks or which are large to install just for their import line; those
imports are stubbed here (a stub that is called raises, so a stub in use would show as failures):
  - einops (einspace/layers.py: Rearrange, used only by Col2Im2/Col2Im3, which no option list of
    the 2-d space names; einspace/network.py: Reduce, not imported here)
  - positional_encodings (einspace/layers.py: the fixed positional_encoding op, not in the 2-d
    space's computation_fns; learnable_positional_encoding is, and needs none)
  - matplotlib, seaborn, scipy.stats (einspace/utils.py: plotting and Kendall's tau helpers)
"""
import argparse
import contextlib
import io
import json
import os
import random
import resource
import signal
import sys
import time
import types

CONFIG = "configs/cifar100/re_cifar100.yaml"
BATCH, CHANNELS, HEIGHT, WIDTH = 128, 3, 32, 32
COMPUTATION_MODULE_PROB = 0.32
MUTATION_PARENT = "wideresnet16_4"


class BudgetExhausted(BaseException):
    """Raised from the timer signal; BaseException so that the official `except Exception` retry
    loops do not swallow it."""


def stub_module(name, attributes=()):
    """A module whose listed attributes raise when used, installed before the official import."""
    module = types.ModuleType(name)

    def unavailable(*args, **kwargs):
        raise RuntimeError(f"{name} is stubbed by einspace_official_rate.py and was used")

    for attribute in attributes:
        setattr(module, attribute, unavailable)
    module.__path__ = []  # a package, so that `import a.b` finds the stubbed `a.b`

    def attribute_of(attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return unavailable

    module.__getattr__ = attribute_of
    sys.modules[name] = module
    return module


def stub_unused_imports():
    for name in ["einops", "einops.layers", "einops.layers.torch",
                 "positional_encodings", "positional_encodings.torch_encodings",
                 "matplotlib", "matplotlib.pyplot", "seaborn"]:
        try:
            __import__(name)
        except ImportError:
            stub_module(name)
    try:
        import scipy.stats  # noqa: F401
    except ImportError:
        stub_module("scipy")
        sys.modules["scipy"].stats = stub_module("scipy.stats")


class LineCounter(io.TextIOBase):
    """Takes what the official code prints and counts the lines that report retries."""

    def __init__(self):
        self.pending = ""
        self.counts = {"timeout_restarts": 0, "mutation_errors": 0, "mutation_memory_errors": 0}

    def writable(self):
        return True

    def write(self, text):
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            if line.startswith("TimeoutError:"):
                self.counts["timeout_restarts"] += 1
            elif line.startswith("MutationError:"):
                self.counts["mutation_errors"] += 1
                if is_memory_message(line):
                    self.counts["mutation_memory_errors"] += 1
        return len(text)


def is_memory_message(text):
    text = text.lower()
    return "memory" in text or "can't allocate" in text or "cannot allocate" in text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--official", required=True, help="checkout of the official einspace repository")
    parser.add_argument("--seconds", type=float, required=True, help="wall budget for the mode")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mode", choices=["sample", "mutate"], default="sample")
    parser.add_argument("--memory-gib", type=float, default=8.0, help="RLIMIT_AS in GiB; 0 = no limit")
    args = parser.parse_args()

    if not os.path.isfile(os.path.join(args.official, "einspace", "search_spaces.py")):
        sys.exit(f"einspace_official_rate.py: {args.official} has no einspace/search_spaces.py; "
                 "--official must be a checkout of the official einspace repository")
    if args.memory_gib > 0:
        limit = int(args.memory_gib * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    stub_unused_imports()
    sys.path.insert(0, os.path.abspath(args.official))
    import torch
    from einspace.search_spaces import EinSpace
    from einspace.seed_architectures import seed_architectures

    torch.set_num_threads(1)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    space = EinSpace(input_shape=(BATCH, CHANNELS, HEIGHT, WIDTH), input_mode="im",
                     num_repeated_cells=1, computation_module_prob=COMPUTATION_MODULE_PROB,
                     min_module_depth=0, max_module_depth=100)

    counter = LineCounter()
    done = failed = failed_memory = 0
    failures = {}
    unfinished = False
    with contextlib.redirect_stdout(counter):
        if args.mode == "mutate":
            parent = space.recurse_state(seed_architectures[MUTATION_PARENT],
                                         input_shape=space.input_shape, input_mode=space.input_mode)
            step = lambda: space.mutate(parent)  # noqa: E731
        else:
            step = space.sample

        def expire(signum, frame):
            raise BudgetExhausted()

        signal.signal(signal.SIGALRM, expire)
        start = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, args.seconds)
        try:
            while True:
                try:
                    step()
                    done += 1
                except (Exception, MemoryError) as error:  # a failed sample does not stop the count
                    failed += 1
                    if is_memory_message(f"{type(error).__name__} {error}"):
                        failed_memory += 1
                    kind = type(error).__name__
                    failures[kind] = failures.get(kind, 0) + 1
        except BudgetExhausted:
            unfinished = True
        elapsed = time.monotonic() - start
        signal.setitimer(signal.ITIMER_REAL, 0)

    result = {
        "mode": args.mode,
        "config": CONFIG,
        "input_shape": [BATCH, CHANNELS, HEIGHT, WIDTH],
        "computation_module_prob": COMPUTATION_MODULE_PROB,
        "seed": args.seed,
        "threads": torch.get_num_threads(),
        "memory_limit_gib": args.memory_gib,
        "seconds": round(elapsed, 3),
        "completed": done,
        "failed": failed,
        "failed_memory": failed_memory,
        "failures_by_type": failures,
        "unfinished_at_deadline": unfinished,
        "per_second": done / elapsed if elapsed > 0 else 0.0,
        "official_timeout_restarts": counter.counts["timeout_restarts"],
    }
    if args.mode == "mutate":
        result["parent"] = MUTATION_PARENT
        result["official_mutation_retries"] = counter.counts["mutation_errors"]
        result["official_mutation_retries_memory"] = counter.counts["mutation_memory_errors"]
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
