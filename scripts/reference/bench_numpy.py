"""The course's NumPy code (course_common.py) timed the way `dlnb bench`
times dlnb: Adam, batch 100, random mini-batches of real MNIST, a warm-up,
then N timed steps; or inference over the 10,000 test images.

usage: bench_numpy.py MNIST_DIR NET STEPS [--infer [--images=N]]
"""
import sys

import numpy as np

from benchutil import time_inference, time_training
from course_common import MLP5, SimpleConvNet, DoubleConvNet, DeepConvNet, Adam, load_mnist

NETS = {'mlp': MLP5, 'simpleconv': SimpleConvNet, 'doubleconv': DoubleConvNet, 'deepconv': DeepConvNet}


def main():
    directory, name, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    infer = '--infer' in sys.argv
    # --images=N: time inference on the first N test images only (NumPy needs minutes for all 10,000)
    images = [int(a.split('=', 1)[1]) for a in sys.argv[4:] if a.startswith('--images=')]
    np.random.seed(0)
    (x_train, d_train), (x_test, d_test) = load_mnist(directory, normalize=True, flatten=(name == 'mlp'))
    network = NETS[name]()
    head = 'net=%s precision=float64 impl=numpy-%s' % (name, np.__version__)
    if infer:  # batches of 100, the course's accuracy() batch size
        x = x_test[:images[0]] if images else x_test
        time_inference(head, lambda x: network.predict(x, train_flg=False), x, 100)
        return
    opt = Adam()

    def step():
        mask = np.random.choice(x_train.shape[0], 100)
        grad = network.gradient(x_train[mask], d_train[mask])
        opt.update(network.params, grad)

    time_training(head, step, steps, warmup=2)


main()
