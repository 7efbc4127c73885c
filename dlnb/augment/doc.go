// Package augment transforms batches of images: the data augmentation of
// lesson 2_5 (Augmentation: padding and shift, flips, rotation, noise;
// Augment returns an error, Apply is its notebook form), LeNet-5's zero
// padding of 28×28 digits to 32×32 (PadImages, np.pad) and the practice
// question's random crop (RandomCrop). Every transform draws its random
// numbers from a *rng.RandomState, so a seed reproduces it.
package augment
