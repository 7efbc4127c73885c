"""The course's networks in PyTorch on the CPU (float32), timed like
`dlnb bench`: Adam, batch 100, random mini-batches of real MNIST, warm-up,
N timed steps; or inference over the 10,000 test images.
Run with OPENBLAS_NUM_THREADS=1; it uses torch.set_num_threads(2).

usage: bench_torch.py MNIST_DIR NET STEPS [--infer]
"""
import sys

import numpy as np
import torch
from torch import nn

from benchutil import time_inference, time_training
from course_common import load_mnist

torch.set_num_threads(2)


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


def main():
    directory, name, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    infer = '--infer' in sys.argv
    torch.manual_seed(0)
    np.random.seed(0)
    (x_train, d_train), (x_test, _) = load_mnist(directory, normalize=True, flatten=False)
    x_train, x_test = torch.from_numpy(np.ascontiguousarray(x_train)), torch.from_numpy(np.ascontiguousarray(x_test))
    d_train = torch.from_numpy(d_train.astype(np.int64))
    model = NETS[name]()
    head = 'net=%s precision=float32 impl=torch-%s threads=%d' % (name, torch.__version__, torch.get_num_threads())
    if infer:
        model.eval()
        with torch.no_grad():
            time_inference(head, model, x_test, 1000)
        return
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        idx = torch.from_numpy(np.random.choice(x_train.shape[0], 100))
        opt.zero_grad()
        loss = loss_fn(model(x_train[idx]), d_train[idx])
        loss.backward()
        opt.step()

    time_training(head, step, steps, warmup=5)


main()
