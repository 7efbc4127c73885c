"""The course's common/ code (functions.py, layers.py, optimizer.py), the
lesson's MultiLayerNet and the notebooks' networks, rewritten from the
description in docs/course.md §1 — the NumPy reference dlnb is checked
and benchmarked against. float64 throughout, like the course.
"""
from collections import OrderedDict
import gzip
import os

import numpy as np


# --- data/mnist.py -----------------------------------------------------------
def load_mnist(directory, normalize=True, flatten=True, one_hot_label=False):
    def read(name, offset):
        with gzip.open(os.path.join(directory, name), 'rb') as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)
    ds = {'train_img': read('train-images-idx3-ubyte.gz', 16).reshape(-1, 784),
          'train_label': read('train-labels-idx1-ubyte.gz', 8),
          'test_img': read('t10k-images-idx3-ubyte.gz', 16).reshape(-1, 784),
          'test_label': read('t10k-labels-idx1-ubyte.gz', 8)}
    if normalize:
        for key in ('train_img', 'test_img'):
            ds[key] = ds[key].astype(np.float32)
            ds[key] /= 255.0
    if one_hot_label:
        for key in ('train_label', 'test_label'):
            t = np.zeros((ds[key].size, 10))
            t[np.arange(ds[key].size), ds[key]] = 1
            ds[key] = t
    if not flatten:
        for key in ('train_img', 'test_img'):
            ds[key] = ds[key].reshape(-1, 1, 28, 28)
    return (ds['train_img'], ds['train_label']), (ds['test_img'], ds['test_label'])


# --- common/functions.py -------------------------------------------------------
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def d_relu(x):
    return np.where(x > 0, 1, 0)


def d_sigmoid(x):
    return (1.0 - sigmoid(x)) * sigmoid(x)


def softmax(x):
    if x.ndim == 2:
        x = x.T
        x = x - np.max(x, axis=0)
        y = np.exp(x) / np.sum(np.exp(x), axis=0)
        return y.T
    x = x - np.max(x)
    return np.exp(x) / np.sum(np.exp(x))


def cross_entropy_error(d, y):
    if y.ndim == 1:
        d = d.reshape(1, d.size)
        y = y.reshape(1, y.size)
    if d.size == y.size:
        d = d.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), d] + 1e-7)) / batch_size


def d_softmax_with_loss(d, y):
    batch_size = d.shape[0]
    if d.size == y.size:
        return (y - d) / batch_size
    dx = y.copy()
    dx[np.arange(batch_size), d] -= 1
    return dx / batch_size


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    img = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)], 'constant')
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = col.reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            img[:, :, y:y_max:stride, x:x_max:stride] += col[:, :, y, x, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]


# --- common/layers.py ----------------------------------------------------------
class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = self.y = self.d = None

    def forward(self, x, d):
        self.d = d
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.d, self.y)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.d.shape[0]
        if self.d.size == self.y.size:
            return (self.y - self.d) / batch_size
        dx = self.y.copy()
        dx[np.arange(batch_size), self.d] -= 1
        return dx / batch_size


class Dropout:
    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        return dout * self.mask


class BatchNormalization:
    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma, self.beta, self.momentum = gamma, beta, momentum
        self.input_shape = None
        self.running_mean, self.running_var = running_mean, running_var
        self.batch_size = self.xc = self.std = self.dgamma = self.dbeta = None

    def forward(self, x, train_flg=True):
        self.input_shape = x.shape
        if x.ndim != 2:
            N = x.shape[0]
            x = x.reshape(N, -1)
        out = self.__forward(x, train_flg)
        return out.reshape(*self.input_shape)

    def __forward(self, x, train_flg):
        if self.running_mean is None:
            N, D = x.shape
            self.running_mean = np.zeros(D)
            self.running_var = np.zeros(D)
        if train_flg:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc ** 2, axis=0)
            std = np.sqrt(var + 10e-7)
            xn = xc / std
            self.batch_size = x.shape[0]
            self.xc, self.xn, self.std = xc, xn, std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            xc = x - self.running_mean
            xn = xc / np.sqrt(self.running_var + 10e-7)
        return self.gamma * xn + self.beta

    def backward(self, dout):
        if dout.ndim != 2:
            N = dout.shape[0]
            dout = dout.reshape(N, -1)
        dbeta = dout.sum(axis=0)
        dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)
        dx = dxc - dmu / self.batch_size
        self.dgamma, self.dbeta = dgamma, dbeta
        return dx.reshape(*self.input_shape)


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad
        self.x = self.col = self.col_W = self.dW = self.db = None

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        out_h = 1 + int((H + 2 * self.pad - FH) / self.stride)
        out_w = 1 + int((W + 2 * self.pad - FW) / self.stride)
        col = im2col(x, FH, FW, self.stride, self.pad)
        col_W = self.W.reshape(FN, -1).T
        out = np.dot(col, col_W) + self.b
        out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)
        self.x, self.col, self.col_W = x, col, col_W
        return out

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout)
        self.dW = self.dW.transpose(1, 0).reshape(FN, C, FH, FW)
        dcol = np.dot(dout, self.col_W.T)
        return col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad
        self.x = self.arg_max = None

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = int(1 + (H - self.pool_h) / self.stride)
        out_w = int(1 + (W - self.pool_w) / self.stride)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)
        arg_max = np.argmax(col, axis=1)
        out = np.max(col, axis=1)
        out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)
        self.x, self.arg_max = x, arg_max
        return out

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        pool_size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, pool_size))
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dmax = dmax.reshape(dout.shape + (pool_size,))
        dcol = dmax.reshape(dmax.shape[0] * dmax.shape[1] * dmax.shape[2], -1)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


# --- common/optimizer.py ---------------------------------------------------------
class SGD:
    def __init__(self, learning_rate=0.01):
        self.learning_rate = learning_rate

    def update(self, params, grad):
        for key in params.keys():
            params[key] -= self.learning_rate * grad[key]


class Adam:
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999):
        self.learning_rate, self.beta1, self.beta2 = learning_rate, beta1, beta2
        self.iter = 0
        self.m = self.v = None

    def update(self, params, grad):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)
        self.iter += 1
        lr_t = self.learning_rate * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grad[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grad[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


# --- networks ----------------------------------------------------------------------
class Sequential:
    """The part every course network shares: predict/loss/accuracy/gradient over
    an ordered list of layers, grads taken from the layers that own params."""

    def predict(self, x, train_flg=False):
        for layer in self.layers.values():
            if isinstance(layer, (Dropout, BatchNormalization)):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x

    def loss(self, x, d, train_flg=False):
        y = self.predict(x, train_flg)
        wd = 0
        for key in self.params:
            if key.startswith('W'):
                wd += 0.5 * self.weight_decay_lambda * np.sum(self.params[key] ** 2)
        return self.last_layer.forward(y, d) + wd

    def accuracy(self, x, d, batch_size=None):
        if batch_size is None:
            y = np.argmax(self.predict(x, train_flg=False), axis=1)
            if d.ndim != 1:
                d = np.argmax(d, axis=1)
            return np.sum(y == d) / float(x.shape[0])
        if d.ndim != 1:
            d = np.argmax(d, axis=1)
        acc = 0.0
        for i in range(int(x.shape[0] / batch_size)):
            tx = x[i * batch_size:(i + 1) * batch_size]
            td = d[i * batch_size:(i + 1) * batch_size]
            y = np.argmax(self.predict(tx, train_flg=False), axis=1)
            acc += np.sum(y == td)
        return acc / x.shape[0]

    def gradient(self, x, d):
        self.loss(x, d, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        grads = {}
        for key, (layer, attr) in self.owner.items():
            g = getattr(layer, attr)
            if key.startswith('W') and self.weight_decay_lambda:
                g = g + self.weight_decay_lambda * self.params[key]
            grads[key] = g
        return grads


class MultiLayerNet(Sequential):
    def __init__(self, input_size, hidden_size_list, output_size, activation='relu', weight_init_std='relu',
                 weight_decay_lambda=0, use_dropout=False, dropout_ratio=0.5, use_batchnorm=False):
        self.weight_decay_lambda, self.loss_train = weight_decay_lambda, False
        sizes = [input_size] + hidden_size_list + [output_size]
        self.params, self.owner, self.layers = {}, {}, OrderedDict()
        for idx in range(1, len(sizes)):
            s = str(weight_init_std).lower()
            scale = weight_init_std
            if s in ('relu', 'he'):
                scale = np.sqrt(2.0 / sizes[idx - 1])
            elif s in ('sigmoid', 'xavier'):
                scale = np.sqrt(1.0 / sizes[idx - 1])
            self.params['W' + str(idx)] = scale * np.random.randn(sizes[idx - 1], sizes[idx])
            self.params['b' + str(idx)] = np.zeros(sizes[idx])
        for idx in range(1, len(hidden_size_list) + 1):
            a = Affine(self.params['W' + str(idx)], self.params['b' + str(idx)])
            self.layers['Affine' + str(idx)] = a
            self.owner['W' + str(idx)], self.owner['b' + str(idx)] = (a, 'dW'), (a, 'db')
            if use_batchnorm:
                self.params['gamma' + str(idx)] = np.ones(hidden_size_list[idx - 1])
                self.params['beta' + str(idx)] = np.zeros(hidden_size_list[idx - 1])
                bn = BatchNormalization(self.params['gamma' + str(idx)], self.params['beta' + str(idx)])
                self.layers['BatchNorm' + str(idx)] = bn
                self.owner['gamma' + str(idx)], self.owner['beta' + str(idx)] = (bn, 'dgamma'), (bn, 'dbeta')
            self.layers['Activation_function' + str(idx)] = {'sigmoid': Sigmoid, 'relu': Relu}[activation]()
            if use_dropout:
                self.layers['Dropout' + str(idx)] = Dropout(dropout_ratio)
        idx = len(hidden_size_list) + 1
        a = Affine(self.params['W' + str(idx)], self.params['b' + str(idx)])
        self.layers['Affine' + str(idx)] = a
        self.owner['W' + str(idx)], self.owner['b' + str(idx)] = (a, 'dW'), (a, 'db')
        self.last_layer = SoftmaxWithLoss()


class TwoLayerNet(Sequential):
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.weight_decay_lambda, self.loss_train = 0, False
        self.params = {'W1': weight_init_std * np.random.randn(input_size, hidden_size)}
        self.params['W2'] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['b2'] = np.zeros(output_size)
        a1, a2 = Affine(self.params['W1'], self.params['b1']), Affine(self.params['W2'], self.params['b2'])
        self.layers = OrderedDict([('Affine1', a1), ('Relu1', Relu()), ('Affine2', a2)])
        self.owner = {'W1': (a1, 'dW'), 'b1': (a1, 'db'), 'W2': (a2, 'dW'), 'b2': (a2, 'db')}
        self.last_layer = SoftmaxWithLoss()


class SimpleConvNet(Sequential):
    def __init__(self, weight_init_std=0.01):
        self.weight_decay_lambda, self.loss_train = 0, False
        p = self.params = {}
        p['W1'] = weight_init_std * np.random.randn(30, 1, 5, 5)
        p['b1'] = np.zeros(30)
        p['W2'] = weight_init_std * np.random.randn(4320, 100)
        p['b2'] = np.zeros(100)
        p['W3'] = weight_init_std * np.random.randn(100, 10)
        p['b3'] = np.zeros(10)
        c1 = Convolution(p['W1'], p['b1'], 1, 0)
        a1, a2 = Affine(p['W2'], p['b2']), Affine(p['W3'], p['b3'])
        self.layers = OrderedDict([('Conv1', c1), ('Relu1', Relu()), ('Pool1', Pooling(2, 2, stride=2)),
                                   ('Affine1', a1), ('Relu2', Relu()), ('Affine2', a2)])
        self.owner = {'W1': (c1, 'dW'), 'b1': (c1, 'db'), 'W2': (a1, 'dW'), 'b2': (a1, 'db'), 'W3': (a2, 'dW'), 'b3': (a2, 'db')}
        self.last_layer = SoftmaxWithLoss()


class DoubleConvNet(Sequential):
    """Lesson 2_7's DoubleConvNet (base: conv-relu-pool-conv-relu-pool-affine-relu-affine)."""

    def __init__(self, hidden_size=100, weight_init_std=0.01):
        self.weight_decay_lambda, self.loss_train = 0, False
        p = self.params = {}
        p['W1'] = weight_init_std * np.random.randn(10, 1, 7, 7)
        p['b1'] = np.zeros(10)
        p['W2'] = weight_init_std * np.random.randn(20, 10, 3, 3)
        p['b2'] = np.zeros(20)
        p['W3'] = weight_init_std * np.random.randn(720, hidden_size)
        p['b3'] = np.zeros(hidden_size)
        p['W4'] = weight_init_std * np.random.randn(hidden_size, 10)
        p['b4'] = np.zeros(10)
        c1, c2 = Convolution(p['W1'], p['b1'], 1, 1), Convolution(p['W2'], p['b2'], 1, 1)
        a1, a2 = Affine(p['W3'], p['b3']), Affine(p['W4'], p['b4'])
        self.layers = OrderedDict([('Conv1', c1), ('Relu1', Relu()), ('Pool1', Pooling(2, 2, stride=2)),
                                   ('Conv2', c2), ('Relu2', Relu()), ('Pool2', Pooling(2, 2, stride=2)),
                                   ('Affine1', a1), ('Relu3', Relu()), ('Affine2', a2)])
        self.owner = {'W1': (c1, 'dW'), 'b1': (c1, 'db'), 'W2': (c2, 'dW'), 'b2': (c2, 'db'),
                      'W3': (a1, 'dW'), 'b3': (a1, 'db'), 'W4': (a2, 'dW'), 'b4': (a2, 'db')}
        self.last_layer = SoftmaxWithLoss()


class DeepConvNet(Sequential):
    def __init__(self):
        self.weight_decay_lambda, self.loss_train = 0, True
        convs = [(16, 1), (16, 1), (32, 1), (32, 2), (64, 1), (64, 1)]
        pre = np.array([1 * 3 * 3, 16 * 3 * 3, 16 * 3 * 3, 32 * 3 * 3, 32 * 3 * 3, 64 * 3 * 3, 64 * 4 * 4, 50])
        scales = np.sqrt(2.0 / pre)
        p = self.params = {}
        ch = 1
        for i, (fn, _) in enumerate(convs):
            p['W' + str(i + 1)] = scales[i] * np.random.randn(fn, ch, 3, 3)
            p['b' + str(i + 1)] = np.zeros(fn)
            ch = fn
        p['W7'] = scales[6] * np.random.randn(64 * 4 * 4, 50)
        p['b7'] = np.zeros(50)
        p['W8'] = scales[7] * np.random.randn(50, 10)
        p['b8'] = np.zeros(10)
        self.layers, self.owner = OrderedDict(), {}
        for i, (fn, pad) in enumerate(convs):
            c = Convolution(p['W' + str(i + 1)], p['b' + str(i + 1)], 1, pad)
            self.layers['Conv' + str(i + 1)] = c
            self.owner['W' + str(i + 1)], self.owner['b' + str(i + 1)] = (c, 'dW'), (c, 'db')
            self.layers['Relu' + str(i + 1)] = Relu()
            if i % 2 == 1:
                self.layers['Pool' + str(i // 2 + 1)] = Pooling(2, 2, stride=2)
        a1, a2 = Affine(p['W7'], p['b7']), Affine(p['W8'], p['b8'])
        self.layers['Affine1'] = a1
        self.layers['Relu7'] = Relu()
        self.layers['Dropout1'] = Dropout(0.5)
        self.layers['Affine2'] = a2
        self.layers['Dropout2'] = Dropout(0.5)
        self.owner.update({'W7': (a1, 'dW'), 'b7': (a1, 'db'), 'W8': (a2, 'dW'), 'b8': (a2, 'db')})
        self.last_layer = SoftmaxWithLoss()


class MLP5(MultiLayerNet):
    """The benchmark MLP: 784-[100×5]-10, ReLU, He."""

    def __init__(self):
        super().__init__(784, [100] * 5, 10)
