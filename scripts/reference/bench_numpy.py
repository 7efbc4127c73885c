"""The course's NumPy code (course_common.py) timed the way `dlnb bench`
times dlnb: Adam, batch 100, random mini-batches of real MNIST, a warm-up,
then N timed steps; or inference over the 10,000 test images.

usage: bench_numpy.py MNIST_DIR NET STEPS [--infer]
"""
import sys
import time

import numpy as np

from course_common import MLP5, SimpleConvNet, DoubleConvNet, DeepConvNet, Adam, load_mnist

NETS = {'mlp': MLP5, 'simpleconv': SimpleConvNet, 'doubleconv': DoubleConvNet, 'deepconv': DeepConvNet}


def main():
    directory, name, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    infer = '--infer' in sys.argv
    np.random.seed(0)
    (x_train, d_train), (x_test, d_test) = load_mnist(directory, normalize=True, flatten=(name == 'mlp'))
    network = NETS[name]()
    head = 'net=%s precision=float64 impl=numpy-%s' % (name, np.__version__)
    if infer:
        batch = 100  # the course's accuracy() batch size
        network.predict(x_test[:batch])
        start = time.perf_counter()
        for i in range(0, x_test.shape[0], batch):
            network.predict(x_test[i:i + batch], train_flg=False)
        el = time.perf_counter() - start
        print('%s mode=inference images=%d img/s=%.1f' % (head, x_test.shape[0], x_test.shape[0] / el), flush=True)
        return
    opt = Adam()

    def step():
        mask = np.random.choice(x_train.shape[0], 100)
        grad = network.gradient(x_train[mask], d_train[mask])
        opt.update(network.params, grad)

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    el = time.perf_counter() - start
    print('%s mode=train optimizer=Adam batch=100 steps=%d step_ms=%.3f img/s=%.1f' % (head, steps, el * 1000 / steps, steps * 100 / el), flush=True)


main()
