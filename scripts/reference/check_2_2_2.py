"""Lesson 2_2_2's cells run with the course's code and np.random.seed(0): the
reference for dlnb's notebook, which uses the same seed."""
import sys
import numpy as np
from course_common import load_mnist, MultiLayerNet

(x_train, d_train), (x_test, d_test) = load_mnist(sys.argv[1], normalize=True, one_hot_label=True)
for activation, init in [('relu', 0.01), ('relu', 'He'), ('sigmoid', 'Xavier')]:
    np.random.seed(0)
    network = MultiLayerNet(784, [40, 20], 10, activation=activation, weight_init_std=init)
    for i in range(2000):
        batch_mask = np.random.choice(60000, 100)
        x_batch, d_batch = x_train[batch_mask], d_train[batch_mask]
        grad = network.gradient(x_batch, d_batch)
        for key in ('W1', 'W2', 'W3', 'b1', 'b2', 'b3'):
            network.params[key] -= 0.1 * grad[key]
        if (i + 1) % 500 == 0:
            print(activation, init, i + 1, network.accuracy(x_batch, d_batch), network.accuracy(x_test, d_test), flush=True)
