"""The course's networks in PyTorch 2 on the CPU (float32 unless --float64), timed like
`dlnb bench`: Adam (lr 0.001), batch 100, random mini-batches of real MNIST
drawn with replacement, warm-up steps, N timed steps; or inference over the
10,000 test images in batches of 1000 (--batch=N changes that).

usage: bench_torch.py MNIST_DIR NET STEPS [--infer] [--channels-last] [--compile] [--float64] [--batch=N]

  NET               mlp, simpleconv, doubleconv or deepconv
  --infer           inference instead of training (STEPS is ignored)
  --batch=N         the inference batch (default 1000; the course evaluates 100 at a time)
  --float64         the model and its input in float64, the course's precision (scripts/bench.sh
                    runs float32 only; this is for comparing with `dlnb bench -precision float64`)
  --channels-last   the model and its input in torch.channels_last (NHWC) memory format
  --compile         torch.compile the model (Inductor, CPU: generates and compiles C++ with
                    the system's g++ on the first calls, which the warm-up covers); if it
                    cannot compile here, it says why on stderr and exits with status 3

Eager mode unless --compile; torch.set_num_threads(2). Run it with the
benchmark environment's Python (scripts/reference/setup_bench.sh makes
.venv-bench) and OPENBLAS_NUM_THREADS=1. The line it prints has
impl=torch-<version>[+channels_last][+compile].
"""
import os
import shutil
import sys
import sysconfig

import numpy as np
import torch
from torch import nn

from benchutil import time_inference, time_training
from course_common import load_mnist

torch.set_num_threads(2)
USAGE = 'usage: bench_torch.py MNIST_DIR NET STEPS [--infer] [--channels-last] [--compile] [--float64] [--batch=N]'


def mlp():
    layers, n = [], 784
    for _ in range(5):
        layers += [nn.Linear(n, 100), nn.ReLU()]
        n = 100
    return nn.Sequential(nn.Flatten(), *layers, nn.Linear(100, 10))


def simpleconv():
    return nn.Sequential(nn.Conv2d(1, 30, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
                         nn.Linear(4320, 100), nn.ReLU(), nn.Linear(100, 10))


def doubleconv():
    return nn.Sequential(nn.Conv2d(1, 10, 7, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
                         nn.Conv2d(10, 20, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
                         nn.Linear(720, 100), nn.ReLU(), nn.Linear(100, 10))


def deepconv():
    def conv(cin, cout, pad=1):
        return [nn.Conv2d(cin, cout, 3, padding=pad), nn.ReLU()]
    return nn.Sequential(*conv(1, 16), *conv(16, 16), nn.MaxPool2d(2, 2),
                         *conv(16, 32), *conv(32, 32, 2), nn.MaxPool2d(2, 2),
                         *conv(32, 64), *conv(64, 64), nn.MaxPool2d(2, 2), nn.Flatten(),
                         nn.Linear(1024, 50), nn.ReLU(), nn.Dropout(0.5), nn.Linear(50, 10), nn.Dropout(0.5))


NETS = {'mlp': mlp, 'simpleconv': simpleconv, 'doubleconv': doubleconv, 'deepconv': deepconv}


def compile_blocker():
    """Why torch.compile's CPU backend cannot work here, or None: Inductor
    compiles generated C++ with $CXX (or g++) against Python.h."""
    cxx = os.environ.get('CXX', 'g++')
    if shutil.which(cxx) is None:
        return 'no C++ compiler: %s is not on PATH (Debian: apt-get install g++)' % cxx
    inc = sysconfig.get_paths().get('include', '')
    if not os.path.exists(os.path.join(inc, 'Python.h')):
        return 'no Python headers: %s/Python.h is missing (Debian: apt-get install python3-dev)' % inc
    return None


def compile_failed(err):
    msg = str(err).strip().splitlines()
    first = next((m for m in msg if m.strip()), '')
    print('bench_torch: --compile does not work here: %s: %s' % (type(err).__name__, first[:300]),
          file=sys.stderr, flush=True)
    sys.exit(3)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    opts = set(a for a in sys.argv[1:] if a.startswith('--') and not a.startswith('--batch='))
    batches = [a[len('--batch='):] for a in sys.argv[1:] if a.startswith('--batch=')]
    unknown = opts - {'--infer', '--channels-last', '--compile', '--float64'}
    if len(args) != 3 or unknown or args[1] not in NETS:
        sys.exit(USAGE + ('\nunknown option(s): ' + ' '.join(sorted(unknown)) if unknown else ''))
    if len(batches) > 1 or (batches and not (batches[0].isdigit() and int(batches[0]) > 0)):
        sys.exit(USAGE + '\n--batch=N takes one whole number of images, at least 1')
    directory, name, steps = args[0], args[1], int(args[2])
    infer, channels_last, use_compile = '--infer' in opts, '--channels-last' in opts, '--compile' in opts
    batch = int(batches[0]) if batches else 1000
    dtype = torch.float64 if '--float64' in opts else torch.float32
    torch.manual_seed(0)
    np.random.seed(0)
    (x_train, d_train), (x_test, _) = load_mnist(directory, normalize=True, flatten=False)
    x_train = torch.from_numpy(np.ascontiguousarray(x_train)).to(dtype)
    x_test = torch.from_numpy(np.ascontiguousarray(x_test)).to(dtype)
    d_train = torch.from_numpy(d_train.astype(np.int64))
    model = NETS[name]().to(dtype)
    fmt = torch.contiguous_format
    impl = 'torch-' + torch.__version__.split('+')[0]
    if channels_last:
        fmt = torch.channels_last
        model = model.to(memory_format=fmt)
        x_test = x_test.contiguous(memory_format=fmt)
        impl += '+channels_last'
    if use_compile:
        blocker = compile_blocker()
        if blocker:
            compile_failed(RuntimeError(blocker))
        impl += '+compile'
    head = 'net=%s precision=%s impl=%s threads=%d' % (name, str(dtype).replace('torch.', ''), impl,
                                                        torch.get_num_threads())
    run = torch.compile(model) if use_compile else model
    if infer:
        model.eval()
        with torch.no_grad():
            try:  # compiles here, outside the timing
                run(x_test[:batch])
            except Exception as err:  # noqa: BLE001 - any compiler failure is reported the same way
                if not use_compile:
                    raise
                compile_failed(err)
            time_inference(head, run, x_test, batch)
        return
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        idx = torch.from_numpy(np.random.choice(x_train.shape[0], 100))
        opt.zero_grad()
        loss = loss_fn(run(x_train[idx].contiguous(memory_format=fmt)), d_train[idx])
        loss.backward()
        opt.step()

    if use_compile:
        try:  # compilation of the forward and backward graphs, outside the timing
            step()
        except Exception as err:  # noqa: BLE001
            compile_failed(err)
    time_training(head, step, steps, warmup=5)


main()
