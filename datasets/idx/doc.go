// Package idx reads the IDX file format of the MNIST and Fashion-MNIST
// datasets (http://yann.lecun.com/exdb/mnist/), plain or gzip-compressed.
//
// An IDX file starts with a 4-byte magic number — two zero bytes, a type code
// (0x08 for unsigned bytes) and the number of dimensions — followed by each
// dimension as a big-endian uint32 and then the data in row-major order.
// Decode checks all of it and reports a corrupt or truncated file with an
// error naming the file and what is wrong.
package idx
